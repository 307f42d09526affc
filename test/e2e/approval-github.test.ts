import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPrVerifier, type PrVerification } from '../../src/approval/verifier.js';
import { PrApprovalsConfig, PrGate, type PrApprovalsConfigInput, type PrGateInput } from '../../src/config/approval-schema.js';
import { ghCommitted, ghForcePushed, ghLabeled, ghReview, ghReviewedItem, startGithubStandIn, type GhPr, type GithubStandIn } from '../stand-ins/github.js';

const T = (min: number) => Date.UTC(2025, 0, 1, 12, min);
const HEAD = 'a'.repeat(40);

let gh: GithubStandIn;
beforeAll(async () => { gh = await startGithubStandIn(); });
afterAll(async () => { await gh.close(); });
beforeEach(() => {
  gh.prs.clear();
  gh.teams.clear();
  gh.requests.length = 0;
  gh.misbehave = 'none';
  gh.pageSize = 100;
});

const gate = (over: Partial<PrGateInput> = {}) =>
  PrGate.parse({ provider: 'github', label: 'approved', labelBy: { users: ['alice'], teams: ['acme/ops'] }, ...over });

function makeVerifier(opts: { env?: Record<string, string | undefined>; config?: Partial<PrApprovalsConfigInput>; clock?: { t: number } } = {}) {
  const clock = opts.clock ?? { t: T(60) };
  const config = PrApprovalsConfig.parse({ github: { apiUrl: gh.url, repo: 'acme/infra' }, timeoutMs: 2_000, ...opts.config });
  return createPrVerifier({ fetch: globalThis.fetch, now: () => clock.t, config, env: opts.env ?? { ORESI_GITHUB_TOKEN: gh.token } });
}

/** A merged PR #12 by bob: pushed at :00, labelled by alice at :10, approved by carol at :05. */
function addPr(over: Partial<GhPr> = {}): GhPr {
  const pr: GhPr = {
    number: 12, state: 'closed', merged: true, author: 'bob', headSha: HEAD,
    timeline: [ghCommitted(HEAD, T(0)), ghReviewedItem('carol', T(5)), ghLabeled('alice', 'approved', T(10))],
    reviews: [ghReview('carol', 'APPROVED', T(5), HEAD)],
    ...over,
  };
  gh.prs.set(`acme/infra#${pr.number}`, pr);
  return pr;
}

const reasonOf = (v: PrVerification) => (v.ok ? 'OK' : v.reason);

describe('GitHub PR verifier against a GitHub stand-in', () => {
  it('allows a label applied by an approver after the last push, and sends the Bearer token', async () => {
    addPr();
    const v = await makeVerifier().verify(gate(), '#12');
    expect(v).toEqual({
      ok: true,
      evidence: expect.objectContaining({
        provider: 'github', repo: 'acme/infra', number: 12, state: 'merged', headSha: HEAD, labelledBy: 'alice',
        labelledAt: '2025-01-01T12:10:00.000Z', lastPushAt: '2025-01-01T12:00:00.000Z', approvedBy: ['carol'], cached: false,
      }),
    });
    expect(gh.requests.map((r) => r.path)).toEqual([
      '/repos/acme/infra/pulls/12',
      '/repos/acme/infra/issues/12/timeline?per_page=100',
      '/repos/acme/infra/pulls/12/reviews?per_page=100',
    ]);
    expect(gh.requests.every((r) => r.authorization === `Bearer ${gh.token}`)).toBe(true);
  });

  it('accepts the PR URL form', async () => {
    addPr();
    expect(reasonOf(await makeVerifier().verify(gate(), `${gh.url}/acme/infra/pull/12`))).toBe('OK');
  });

  it('refuses a label applied by a non-approver', async () => {
    addPr({ timeline: [ghCommitted(HEAD, T(0)), ghLabeled('mallory', 'approved', T(10))] });
    expect(reasonOf(await makeVerifier().verify(gate(), '#12')))
      .toBe('acme/infra#12: label `approved` was added by @mallory, who is not in approvers (users: alice; teams: acme/ops); ask an approver to re-apply it');
    expect(gh.requests.some((r) => r.path.startsWith('/orgs/acme/teams/ops/memberships/mallory'))).toBe(true);
  });

  it('accepts an active team member but not a pending one', async () => {
    addPr({ timeline: [ghCommitted(HEAD, T(0)), ghLabeled('dave', 'approved', T(10))] });
    gh.teams.set('acme/ops', new Map([['dave', 'pending']]));
    expect(reasonOf(await makeVerifier().verify(gate(), '#12'))).toMatch(/@dave, who is not in approvers/);
    gh.teams.set('acme/ops', new Map([['dave', 'active']]));
    expect(reasonOf(await makeVerifier().verify(gate(), '#12'))).toBe('OK');
  });

  it('refuses a label applied before a later push (commit or force-push)', async () => {
    addPr({ timeline: [ghCommitted(HEAD, T(0)), ghLabeled('alice', 'approved', T(10)), ghCommitted('c'.repeat(40), T(20))] });
    expect(reasonOf(await makeVerifier().verify(gate(), '#12')))
      .toBe('acme/infra#12: label `approved` was added at 2025-01-01T12:10:00.000Z, before the last push at 2025-01-01T12:20:00.000Z; re-apply it');
    addPr({ timeline: [ghCommitted(HEAD, T(0)), ghLabeled('alice', 'approved', T(10)), ghForcePushed('bob', T(30))] });
    expect(reasonOf(await makeVerifier().verify(gate(), '#12'))).toMatch(/before the last push at 2025-01-01T12:30:00.000Z/);
  });

  it('refuses when the label was removed after being added', async () => {
    addPr({ timeline: [ghCommitted(HEAD, T(0)), ghLabeled('alice', 'approved', T(10)), ghLabeled('bob', 'approved', T(11), true)] });
    expect(reasonOf(await makeVerifier().verify(gate(), '#12'))).toMatch(/label `approved` was removed from PR #12 by @bob/);
  });

  it('refuses a PR closed without merging', async () => {
    addPr({ state: 'closed', merged: false });
    expect(reasonOf(await makeVerifier().verify(gate(), '#12'))).toBe('acme/infra#12: PR #12 is closed and not merged');
  });

  it('does not count reviews by the author', async () => {
    addPr({ reviews: [ghReview('bob', 'APPROVED', T(5), HEAD)] });
    expect(reasonOf(await makeVerifier().verify(gate(), '#12')))
      .toBe('acme/infra#12: PR #12 needs 1 approving review(s) from someone other than the author @bob; has 0 (reviews by the author do not count)');
  });

  it('lets a later CHANGES_REQUESTED cancel an APPROVED', async () => {
    addPr({ reviews: [ghReview('carol', 'APPROVED', T(5), HEAD), ghReview('carol', 'CHANGES_REQUESTED', T(6), HEAD)] });
    expect(reasonOf(await makeVerifier().verify(gate(), '#12'))).toMatch(/changes requested by @carol/);
  });

  it.each([
    ['error500', /cannot verify acme\/infra#12 on GitHub: GET \/repos\/acme\/infra\/pulls\/12 answered HTTP 500/],
    ['badjson', /answered with a body that is not JSON/],
  ] as const)('fails closed when the API misbehaves (%s)', async (mode, reason) => {
    addPr();
    gh.misbehave = mode;
    expect(reasonOf(await makeVerifier().verify(gate(), '#12'))).toMatch(reason);
  });

  it('fails closed when the API never answers', async () => {
    addPr();
    gh.misbehave = 'hang';
    const v = await makeVerifier({ config: { timeoutMs: 200 } }).verify(gate(), '#12');
    expect(reasonOf(v)).toBe('cannot verify acme/infra#12 on GitHub: GET /repos/acme/infra/pulls/12 did not answer within 200 ms');
  });

  it('fails closed without a token, before any request', async () => {
    addPr();
    expect(reasonOf(await makeVerifier({ env: {} }).verify(gate(), '#12')))
      .toBe('cannot verify acme/infra#12: no GitHub token (set the ORESI_GITHUB_TOKEN environment variable)');
    expect(gh.requests).toHaveLength(0);
  });

  it('fails closed when the token is refused', async () => {
    addPr();
    expect(reasonOf(await makeVerifier({ env: { ORESI_GITHUB_TOKEN: 'wrong' } }).verify(gate(), '#12'))).toMatch(/HTTP 401 \(the token was refused\)/);
  });

  it('reads every page: an unlabel on page two refuses, a label on page two allows', async () => {
    gh.pageSize = 2;
    addPr({ timeline: [ghCommitted(HEAD, T(0)), ghLabeled('alice', 'approved', T(10)), ghReviewedItem('carol', T(11)), ghLabeled('bob', 'approved', T(12), true)] });
    expect(reasonOf(await makeVerifier().verify(gate(), '#12'))).toMatch(/was removed from PR #12 by @bob/);
    const timelinePages = gh.requests.filter((r) => r.path.includes('/timeline'));
    expect(timelinePages.map((r) => new URL(r.path, gh.url).searchParams.get('page'))).toEqual([null, '2']);

    addPr({ timeline: [ghCommitted(HEAD, T(0)), ghReviewedItem('carol', T(5)), ghLabeled('alice', 'approved', T(10))] });
    expect(reasonOf(await makeVerifier().verify(gate(), '#12'))).toBe('OK');
  });

  it('refuses a PR in another repository without asking GitHub', async () => {
    addPr();
    expect(reasonOf(await makeVerifier().verify(gate(), 'evil/fork#12'))).toMatch(/not in acme\/infra/);
    expect(gh.requests).toHaveLength(0);
  });

  it('caches a success for cacheSeconds, then asks again', async () => {
    addPr();
    const clock = { t: T(60) };
    const verifier = makeVerifier({ clock, config: { cacheSeconds: 30 } });
    expect(reasonOf(await verifier.verify(gate(), '#12'))).toBe('OK');
    const asked = gh.requests.length;
    const again = await verifier.verify(gate(), 'acme/infra#12');
    expect(again.ok && again.evidence.cached).toBe(true);
    expect(gh.requests).toHaveLength(asked);
    // After expiry the live state (now unlabelled) is what counts.
    gh.prs.get('acme/infra#12')?.timeline.push(ghLabeled('bob', 'approved', T(50), true));
    clock.t += 31_000;
    expect(reasonOf(await verifier.verify(gate(), '#12'))).toMatch(/was removed/);
    expect(gh.requests.length).toBeGreaterThan(asked);
  });
});
