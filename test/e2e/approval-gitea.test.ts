import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPrVerifier, type PrVerification } from '../../src/approval/verifier.js';
import { PrApprovalsConfig, PrGate, type PrApprovalsConfigInput, type PrGateInput } from '../../src/config/approval-schema.js';
import { gtComment, gtLabel, gtPullPush, gtReview, startGiteaStandIn, type GiteaStandIn, type GtPr } from '../stand-ins/gitea.js';

const T = (min: number) => Date.UTC(2025, 0, 1, 12, min);
const HEAD = 'd'.repeat(40);

let gt: GiteaStandIn;
beforeAll(async () => { gt = await startGiteaStandIn(); });
afterAll(async () => { await gt.close(); });
beforeEach(() => {
  gt.prs.clear();
  gt.teams.clear();
  gt.requests.length = 0;
  gt.misbehave = 'none';
  gt.pageSize = 50;
});

const gate = (over: Partial<PrGateInput> = {}) =>
  PrGate.parse({ provider: 'gitea', label: 'approved', labelBy: { users: ['alice'], teams: ['acme/Ops'] }, ...over });

function makeVerifier(opts: { env?: Record<string, string | undefined>; config?: Partial<PrApprovalsConfigInput> } = {}) {
  const config = PrApprovalsConfig.parse({ gitea: { apiUrl: gt.apiUrl, repo: 'acme/infra' }, timeoutMs: 2_000, ...opts.config });
  return createPrVerifier({ fetch: globalThis.fetch, now: () => T(60), config, env: opts.env ?? { ORESI_GITEA_TOKEN: gt.token } });
}

/** A merged PR #7 by bob: opened at :00, pushed at :02, labelled by alice at :10, approved by carol at :05. */
function addPr(over: Partial<GtPr> = {}): GtPr {
  const pr: GtPr = {
    number: 7, state: 'closed', merged: true, author: 'bob', headSha: HEAD, createdAt: T(0),
    timeline: [gtPullPush('bob', T(2)), gtComment('carol', T(4)), gtLabel('alice', 'approved', T(10))],
    reviews: [gtReview('carol', 'APPROVED', T(5), HEAD)],
    ...over,
  };
  gt.prs.set(`acme/infra#${pr.number}`, pr);
  return pr;
}

const reasonOf = (v: PrVerification) => (v.ok ? 'OK' : v.reason);

describe('Gitea PR verifier against a Gitea stand-in', () => {
  it('allows a label applied by an approver after the last push, and sends the token header', async () => {
    addPr();
    const v = await makeVerifier().verify(gate(), `${gt.url}/acme/infra/pulls/7`);
    expect(v).toEqual({
      ok: true,
      evidence: expect.objectContaining({ provider: 'gitea', number: 7, labelledBy: 'alice', lastPushAt: '2025-01-01T12:02:00.000Z', approvedBy: ['carol'] }),
    });
    expect(gt.requests.every((r) => r.authorization === `token ${gt.token}`)).toBe(true);
    expect(gt.requests[0]?.path).toBe('/api/v1/repos/acme/infra/pulls/7');
  });

  it('refuses a label applied by a non-approver, and accepts a member of an approver team', async () => {
    addPr({ timeline: [gtLabel('dave', 'approved', T(10))] });
    gt.teams.set('acme/ops', { id: 41, members: ['erin'] });
    expect(reasonOf(await makeVerifier().verify(gate(), '#7'))).toMatch(/^acme\/infra#7: label `approved` was added by @dave, who is not in approvers \(users: alice; teams: acme\/Ops\)/);
    gt.teams.set('acme/ops', { id: 41, members: ['dave'] });
    expect(reasonOf(await makeVerifier().verify(gate(), '#7'))).toBe('OK');
    expect(gt.requests.some((r) => r.path === '/api/v1/teams/41/members/dave')).toBe(true);
  });

  it('fails closed when an approver team does not exist', async () => {
    addPr({ timeline: [gtLabel('dave', 'approved', T(10))] });
    gt.teams.set('acme/other', { id: 42, members: ['dave'] });
    expect(reasonOf(await makeVerifier().verify(gate(), '#7'))).toBe('cannot verify acme/infra#7 on Gitea: Gitea team acme/Ops was not found (or the token cannot see it)');
  });

  it('refuses a label applied before a later pull_push', async () => {
    addPr({ timeline: [gtLabel('alice', 'approved', T(10)), gtPullPush('bob', T(15), true)] });
    expect(reasonOf(await makeVerifier().verify(gate(), '#7')))
      .toBe('acme/infra#7: label `approved` was added at 2025-01-01T12:10:00.000Z, before the last push at 2025-01-01T12:15:00.000Z; re-apply it');
  });

  it('reads a removal (empty body) as the label being gone', async () => {
    addPr({ timeline: [gtLabel('alice', 'approved', T(10)), gtLabel('bob', 'approved', T(11), true)] });
    expect(reasonOf(await makeVerifier().verify(gate(), '#7'))).toMatch(/label `approved` was removed from PR #7 by @bob/);
  });

  it('refuses a PR closed without merging, and an open PR under the default merged state', async () => {
    addPr({ merged: false });
    expect(reasonOf(await makeVerifier().verify(gate(), '#7'))).toBe('acme/infra#7: PR #7 is closed and not merged');
    addPr({ state: 'open', merged: false });
    expect(reasonOf(await makeVerifier().verify(gate(), '#7'))).toMatch(/is open; this approval counts only once it is merged/);
    expect(reasonOf(await makeVerifier().verify(gate({ state: 'open' }), '#7'))).toBe('OK');
  });

  it('does not count the author, honours REQUEST_CHANGES and dismissal, ignores review requests', async () => {
    addPr({ reviews: [gtReview('bob', 'APPROVED', T(5), HEAD), gtReview('erin', 'REQUEST_REVIEW', T(6), HEAD)] });
    expect(reasonOf(await makeVerifier().verify(gate(), '#7'))).toMatch(/needs 1 approving review\(s\) from someone other than the author @bob; has 0/);
    addPr({ reviews: [gtReview('carol', 'APPROVED', T(5), HEAD), gtReview('carol', 'REQUEST_CHANGES', T(6), HEAD)] });
    expect(reasonOf(await makeVerifier().verify(gate(), '#7'))).toMatch(/changes requested by @carol/);
    addPr({ reviews: [gtReview('carol', 'APPROVED', T(5), HEAD, true)] });
    expect(reasonOf(await makeVerifier().verify(gate(), '#7'))).toMatch(/has 0/);
  });

  it('binds approvals to the head commit when requireHeadSha is set', async () => {
    addPr({ reviews: [gtReview('carol', 'APPROVED', T(5), 'e'.repeat(40))] });
    expect(reasonOf(await makeVerifier().verify(gate({ requireHeadSha: true }), '#7'))).toMatch(/on the head commit dddddddddddd/);
    expect(reasonOf(await makeVerifier().verify(gate(), '#7'))).toBe('OK');
  });

  it('pages with page+limit until X-Total-Count is reached', async () => {
    gt.pageSize = 2;
    addPr({ timeline: [gtPullPush('bob', T(2)), gtComment('carol', T(4)), gtLabel('alice', 'approved', T(10)), gtComment('carol', T(11)), gtLabel('bob', 'approved', T(12), true)] });
    expect(reasonOf(await makeVerifier().verify(gate(), '#7'))).toMatch(/was removed from PR #7 by @bob/);
    const pages = gt.requests.filter((r) => r.path.includes('/timeline')).map((r) => new URL(r.path, gt.url).searchParams.get('page'));
    expect(pages).toEqual(['1', '2', '3']);
  });

  it.each(['error500', 'badjson'] as const)('fails closed when the API misbehaves (%s)', async (mode) => {
    addPr();
    gt.misbehave = mode;
    expect(reasonOf(await makeVerifier().verify(gate(), '#7'))).toMatch(/^cannot verify acme\/infra#7 on Gitea: GET \/api\/v1\/repos\/acme\/infra\/pulls\/7 /);
  });

  it('fails closed when the API never answers', async () => {
    addPr();
    gt.misbehave = 'hang';
    expect(reasonOf(await makeVerifier({ config: { timeoutMs: 200 } }).verify(gate(), '#7'))).toMatch(/did not answer within 200 ms/);
  });

  it('fails closed without a token or without Gitea configured', async () => {
    addPr();
    expect(reasonOf(await makeVerifier({ env: { ORESI_GITEA_TOKEN: '  ' } }).verify(gate(), '#7'))).toMatch(/no Gitea token \(set the ORESI_GITEA_TOKEN/);
    const github = createPrVerifier({ fetch: globalThis.fetch, now: () => 0, config: PrApprovalsConfig.parse({}), env: {} });
    expect(reasonOf(await github.verify(gate(), '#7'))).toBe('approval needs Gitea, and approvals.gitea is not configured');
    expect(gt.requests).toHaveLength(0);
  });
});
