import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestRun } from '../../src/commands/runs.js';
import type { Caller } from '../../src/model.js';
import { RoleConfig } from '../../src/config/schema.js';
import { countingSys, makeTestApp, type TestApp } from '../helpers/test-app.js';
import { ghCommitted, ghLabeled, ghReview, ghReviewedItem, startGithubStandIn, type GithubStandIn } from '../stand-ins/github.js';
import { describeEngine, removeProject, TEST_IMAGE, uniqueProjectName } from './engine.js';

const alice: Caller = { principal: { name: 'alice', roleNames: ['ops'], roles: [RoleConfig.parse({ approve: true })], via: 'api-key' }, source: 'http' };
const HEAD = 'a'.repeat(40);
const T = (min: number) => Date.UTC(2025, 0, 1, 12, min);

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' }).trim();
}

/**
 * The gates enforced through requestRun, the function every edge calls: a PR label verified
 * against a GitHub stand-in, the GitOps branch check on a real git repository, change windows
 * with break-glass. Each refusal names the missing evidence and spawns nothing.
 */
describeEngine('approval gates on the run path', () => {
  const stack = uniqueProjectName('gates');
  const compose = `services:\n  web:\n    image: ${TEST_IMAGE}\n    network_mode: none\n    command: ["sleep", "600"]\n    stop_signal: SIGKILL\n`;
  const intent = (name: string, approval: string) =>
    `apiVersion: oresi.dev/v1\nkind: Intent\nname: ${name}\nstack: ${stack}\n${approval}steps:\n  - action: up\n`;
  let gh: GithubStandIn;

  beforeAll(async () => { gh = await startGithubStandIn(); });
  afterAll(async () => {
    await gh?.close();
    await removeProject(stack);
  });

  describe('PR gate', () => {
    let app: TestApp;
    let sys: ReturnType<typeof countingSys>;
    beforeAll(async () => {
      gh.prs.set('acme/infra#12', {
        number: 12, state: 'closed', merged: true, author: 'bob', headSha: HEAD,
        timeline: [ghCommitted(HEAD, T(0)), ghReviewedItem('carol', T(5)), ghLabeled('alice', 'approved', T(10))],
        reviews: [ghReview('carol', 'APPROVED', T(5), HEAD)],
      });
      gh.prs.set('acme/infra#13', {
        number: 13, state: 'closed', merged: true, author: 'bob', headSha: HEAD,
        timeline: [ghCommitted(HEAD, T(0)), ghReviewedItem('carol', T(5)), ghLabeled('mallory', 'approved', T(10))],
        reviews: [ghReview('carol', 'APPROVED', T(5), HEAD)],
      });
      app = await makeTestApp({
        stacks: { [stack]: compose },
        intents: {
          'gated.yaml': intent('gated', 'approval:\n  pr: { provider: github, label: approved, labelBy: { users: [alice] } }\n'),
          // The original format's bare label, verified with the configured default gate.
          'legacy.yaml': `label_required: approved\naction: rollout\nstack: ${stack}\n`,
        },
        config: { approvals: { cacheSeconds: 0, github: { apiUrl: gh.url, repo: 'acme/infra' }, defaultPr: { provider: 'github', labelBy: { users: ['alice'] } } } },
        env: { ORESI_GITHUB_TOKEN: gh.token },
        sys: (real) => (sys = countingSys(real)),
      });
    });
    afterAll(async () => app?.close());
    const spawned = () => sys.spawns.filter((a) => a.includes(stack)).length;

    it('without a PR reference: refused, naming what is missing', async () => {
      const before = spawned();
      await expect(requestRun(app.ctx, alice, { intent: 'gated' })).rejects.toMatchObject({ code: 'E_APPROVAL_REQUIRED', message: expect.stringContaining('pr: owner/repo#123') });
      expect(spawned()).toBe(before);
    });

    it('a label applied by someone who is not an approver: refused with the reason', async () => {
      const before = spawned();
      await expect(requestRun(app.ctx, alice, { intent: 'gated', pr: 'acme/infra#13' })).rejects.toMatchObject({ code: 'E_APPROVAL_REQUIRED', message: expect.stringContaining('mallory') });
      expect(spawned()).toBe(before);
      expect(app.ctx.audit.list({ limit: 1000 }).at(-1)).toMatchObject({ type: 'run.rejected', data: { code: 'E_APPROVAL_REQUIRED' } });
    });

    it('a verified PR lets the run through, with the evidence in its audit record', async () => {
      const run = await requestRun(app.ctx, alice, { intent: 'gated', pr: 'acme/infra#12', waitMs: 60_000 });
      expect(run.state).toBe('succeeded');
      const requested = app.ctx.audit.list({ runId: run.id, limit: 10 }).find((e) => e.type === 'run.requested');
      expect(requested?.data).toMatchObject({ pr: 'acme/infra#12', evidence: [expect.objectContaining({ gate: 'pr', number: 12, labelledBy: 'alice' })] });
    });

    it("the original format's label_required is verified with approvals.defaultPr", async () => {
      await expect(requestRun(app.ctx, alice, { intent: 'legacy', pr: 'acme/infra#13' })).rejects.toMatchObject({ code: 'E_APPROVAL_REQUIRED' });
      expect((await requestRun(app.ctx, alice, { intent: 'legacy', pr: '#12', waitMs: 60_000 })).state).toBe('succeeded');
    });

    it('the GitHub API failing closes the gate', async () => {
      gh.misbehave = 'error500';
      try {
        await expect(requestRun(app.ctx, alice, { intent: 'gated', pr: 'acme/infra#12' })).rejects.toMatchObject({ code: 'E_APPROVAL_REQUIRED' });
      } finally {
        gh.misbehave = 'none';
      }
    });
  });

  describe('PR gate with requireHeadSha: the approved head is what gets deployed', () => {
    let app: TestApp;
    let deployed = '';
    beforeAll(async () => {
      app = await makeTestApp({
        stacks: { [stack]: compose },
        intents: { 'pinned.yaml': intent('pinned', 'approval:\n  pr: { provider: github, label: approved, labelBy: { users: [alice] }, requireHeadSha: true }\n') },
        config: { approvals: { cacheSeconds: 0, github: { apiUrl: gh.url, repo: 'acme/infra' } } },
        env: { ORESI_GITHUB_TOKEN: gh.token },
        prepare: async ({ stacksRoot }) => {
          git(stacksRoot, 'init', '-q');
          git(stacksRoot, 'add', '.');
          git(stacksRoot, 'commit', '-q', '-m', 'stacks');
          deployed = git(stacksRoot, 'rev-parse', 'HEAD');
        },
      });
      const pr = (n: number, head: string) => gh.prs.set(`acme/infra#${n}`, {
        number: n, state: 'closed', merged: true, author: 'bob', headSha: head,
        timeline: [ghCommitted(head, T(0)), ghReviewedItem('carol', T(5)), ghLabeled('alice', 'approved', T(10))],
        reviews: [ghReview('carol', 'APPROVED', T(5), head)],
      });
      pr(20, deployed);
      pr(21, 'b'.repeat(40));
    });
    afterAll(async () => app?.close());

    it('a PR whose head is the checked-out commit passes', async () => {
      expect((await requestRun(app.ctx, alice, { intent: 'pinned', pr: 'acme/infra#20', waitMs: 60_000 })).state).toBe('succeeded');
    });

    it('a PR whose head is not in the checkout is refused, naming the commit', async () => {
      await expect(requestRun(app.ctx, alice, { intent: 'pinned', pr: 'acme/infra#21' })).rejects.toMatchObject({
        code: 'E_APPROVAL_REQUIRED', message: expect.stringContaining(`PR head ${'b'.repeat(12)}`),
      });
    });
  });

  describe('GitOps gate', () => {
    let app: TestApp;
    let origin = '';
    beforeAll(async () => {
      app = await makeTestApp({
        stacks: { [stack]: compose },
        intents: {},
        prepare: async ({ root, intentsDir }) => {
          // The intents folder is a clone of the GitOps repository; one intent is edited locally.
          origin = join(root, 'origin.git');
          git(root, 'init', '-q', '--bare', '--initial-branch=main', origin);
          const author = join(root, 'author');
          git(root, 'clone', '-q', origin, author);
          git(author, 'checkout', '-q', '-b', 'main');
          await mkdir(join(author, 'intents'));
          await writeFile(join(author, 'intents', 'up.yaml'), intent('up', ''));
          await writeFile(join(author, 'intents', 'edited.yaml'), intent('edited', ''));
          git(author, 'add', '.');
          git(author, 'commit', '-q', '-m', 'intents');
          git(author, 'push', '-q', 'origin', 'main');
          await import('node:fs/promises').then((fs) => fs.rm(intentsDir, { recursive: true }));
          git(root, 'clone', '-q', '--branch', 'main', origin, join(root, 'checkout'));
          await import('node:fs/promises').then((fs) => fs.symlink(join(root, 'checkout', 'intents'), intentsDir));
          await writeFile(join(root, 'checkout', 'intents', 'edited.yaml'), intent('edited', '').replace('up\n', 'restart\n'));
        },
        config: { gitops: { branch: 'main', fetchFirst: true } },
      });
    });
    afterAll(async () => app?.close());

    it('an intent edited locally but not on the branch is refused', async () => {
      await expect(requestRun(app.ctx, alice, { intent: 'edited' })).rejects.toMatchObject({ code: 'E_APPROVAL_REQUIRED', message: expect.stringMatching(/GitOps gate: .*edited\.yaml differs from origin\/main/) });
    });

    it('an intent identical to the branch tip runs, with the commit in its audit record', async () => {
      const run = await requestRun(app.ctx, alice, { intent: 'up', waitMs: 60_000 });
      expect(run.state).toBe('succeeded');
      const requested = app.ctx.audit.list({ runId: run.id, limit: 10 }).find((e) => e.type === 'run.requested');
      expect(requested?.data).toMatchObject({ evidence: [expect.objectContaining({ gate: 'gitops', branch: 'main' })] });
    });
  });

  describe('change windows', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await makeTestApp({
        stacks: { [stack]: compose },
        intents: { 'frozen.yaml': intent('frozen', 'approval:\n  windows: { deny: ["* * * * *"] }\n') },
      });
    });
    afterAll(async () => app?.close());

    it('refused inside a deny window, naming the window', async () => {
      await expect(requestRun(app.ctx, alice, { intent: 'frozen' })).rejects.toMatchObject({ code: 'E_APPROVAL_REQUIRED', message: expect.stringContaining('deny window "* * * * *"') });
    });

    it('break-glass waits for an approval from someone else and is audited as a security event', async () => {
      const run = await requestRun(app.ctx, alice, { intent: 'frozen', breakGlass: true });
      expect(run.state).toBe('pending_approval');
      const types = app.ctx.audit.list({ runId: run.id, limit: 10 }).map((e) => e.type);
      expect(types).toEqual(['run.requested', 'security.event', 'approval.requested']);
    });
  });
});
