import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { approveRun, denyRun } from '../../src/commands/approve.js';
import { cancelRun, getRun, requestRun } from '../../src/commands/runs.js';
import type { Caller } from '../../src/model.js';
import { RoleConfig } from '../../src/config/schema.js';
import { countingSys, makeTestApp, type TestApp } from '../helpers/test-app.js';
import { describeEngine, removeProject, TEST_IMAGE, uniqueProjectName } from './engine.js';

const role = RoleConfig.parse({ approve: true });
const person = (name: string): Caller => ({ principal: { name, roleNames: ['ops'], roles: [role], via: 'api-key' }, source: 'http' });
const alice = person('alice');
const bob = person('bob');
const carol = person('carol');

/** The two-person rule on the real engine: who counts, for how long, for which plan, and how often it runs. */
describeEngine('quorum approvals', () => {
  const stack = uniqueProjectName('quorum');
  let app: TestApp;
  let sys: ReturnType<typeof countingSys>;
  let offsetMs = 0;

  beforeAll(async () => {
    app = await makeTestApp({
      stacks: { [stack]: `services:\n  web:\n    image: ${TEST_IMAGE}\n    network_mode: none\n    command: ["sleep", "600"]\n    stop_signal: SIGKILL\n` },
      intents: {
        'two.yaml': `apiVersion: oresi.dev/v1\nkind: Intent\nname: two\nstack: ${stack}\napproval: { quorum: 2 }\nsteps:\n  - action: up\n`,
        'one.yaml': `apiVersion: oresi.dev/v1\nkind: Intent\nname: one\nstack: ${stack}\napproval: { quorum: 1 }\nsteps:\n  - action: up\n`,
      },
      config: { approvals: { ttlSeconds: 600, pendingTtlSeconds: 3600 } },
      sys: (real) => {
        sys = countingSys({ ...real, now: () => real.now() + offsetMs });
        return sys;
      },
    });
  });
  afterAll(async () => {
    await removeProject(stack);
    await app?.close();
  });

  const composeSpawns = () => sys.spawns.filter((a) => a.includes('--project-name') && a.includes(stack)).length;

  it('a run needing approvals waits in pending_approval and spawns nothing', async () => {
    const before = composeSpawns();
    const run = await requestRun(app.ctx, alice, { intent: 'two' });
    expect(run.state).toBe('pending_approval');
    expect(composeSpawns()).toBe(before);
    expect(app.ctx.audit.list({ runId: run.id, limit: 100 }).map((e) => e.type)).toEqual(['run.requested', 'approval.requested']);
  });

  it('the requester never counts, and one principal approving twice counts once', async () => {
    const run = await requestRun(app.ctx, alice, { intent: 'two' });
    await expect(approveRun(app.ctx, alice, run.id)).rejects.toMatchObject({ code: 'E_FORBIDDEN' });
    expect((await approveRun(app.ctx, bob, run.id)).state).toBe('pending_approval');
    expect((await approveRun(app.ctx, bob, run.id)).state).toBe('pending_approval');
    const done = await approveRun(app.ctx, carol, run.id, { waitMs: 60_000 });
    expect(done.state).toBe('succeeded');
    const granted = app.ctx.audit.list({ runId: run.id, limit: 100 }).filter((e) => e.type === 'approval.granted').map((e) => e.actor);
    expect(granted).toEqual(['bob', 'bob', 'carol']);
  });

  it('approvals racing for the last place start the run exactly once', async () => {
    const run = await requestRun(app.ctx, alice, { intent: 'two' });
    await approveRun(app.ctx, bob, run.id);
    const before = composeSpawns();
    const results = await Promise.allSettled([
      approveRun(app.ctx, carol, run.id, { waitMs: 60_000 }),
      approveRun(app.ctx, person('dave'), run.id, { waitMs: 60_000 }),
      approveRun(app.ctx, person('erin'), run.id, { waitMs: 60_000 }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled' && r.value.state === 'succeeded')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(['E_CONFLICT', 'E_CONFLICT']);
    expect(composeSpawns() - before).toBe(1);
    expect(app.ctx.audit.list({ runId: run.id, limit: 100 }).filter((e) => e.type === 'run.started')).toHaveLength(1);
  });

  it('an approval older than the TTL no longer counts', async () => {
    const run = await requestRun(app.ctx, alice, { intent: 'two' });
    await approveRun(app.ctx, bob, run.id);
    offsetMs += 11 * 60_000;
    try {
      expect((await approveRun(app.ctx, carol, run.id)).state).toBe('pending_approval');
    } finally {
      offsetMs = 0;
    }
  });

  it('a run waiting past its pending TTL expires', async () => {
    const run = await requestRun(app.ctx, alice, { intent: 'one' });
    offsetMs += 2 * 3600_000;
    try {
      await expect(approveRun(app.ctx, bob, run.id)).rejects.toMatchObject({ code: 'E_CONFLICT' });
    } finally {
      offsetMs = 0;
    }
    expect(getRun(app.ctx, alice, run.id).state).toBe('expired');
  });

  it('a changed plan needs new approvals: editing the stack after the request expires the run', async () => {
    const run = await requestRun(app.ctx, alice, { intent: 'one' });
    await writeFile(join(app.stacksRoot, stack, '.env'), 'EDITED=1\n');
    await app.ctx.stacks.refresh(0);
    const before = composeSpawns();
    await expect(approveRun(app.ctx, bob, run.id)).rejects.toMatchObject({ code: 'E_CONFLICT', message: expect.stringContaining('plan') });
    expect(getRun(app.ctx, alice, run.id).state).toBe('expired');
    expect(composeSpawns()).toBe(before);
  });

  it('a denial ends the run; cancel ends a pending run too', async () => {
    const denied = await requestRun(app.ctx, alice, { intent: 'one' });
    expect((await denyRun(app.ctx, bob, denied.id, { reason: 'not now' })).state).toBe('denied');
    await expect(approveRun(app.ctx, carol, denied.id)).rejects.toMatchObject({ code: 'E_CONFLICT' });
    const cancelled = await requestRun(app.ctx, alice, { intent: 'one' });
    expect((await cancelRun(app.ctx, alice, cancelled.id)).state).toBe('cancelled');
  });

  it('a principal without the approve grant cannot approve', async () => {
    const run = await requestRun(app.ctx, alice, { intent: 'one' });
    const viewer: Caller = { principal: { name: 'viewer', roleNames: ['viewer'], roles: [RoleConfig.parse({ readOnly: true })], via: 'api-key' }, source: 'http' };
    await expect(approveRun(app.ctx, viewer, run.id)).rejects.toMatchObject({ code: 'E_FORBIDDEN' });
  });
});
