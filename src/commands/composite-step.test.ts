import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEventInput } from '../audit/types.js';
import { Config } from '../config/schema.js';
import { AppError } from '../errors.js';
import type { Plan, PlanStep, StackFacts } from '../plan/types.js';
import { createRealSys } from '../sys/real.js';
import type { Sys } from '../sys/sys.js';
import { clipHealth, createCompositeRunner, isRolledBack } from './composite-step.js';
import type { AppContext } from './types.js';

let root: string;
let facts: StackFacts;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'oresi-composite-'));
  const dir = join(root, 'stacks', 'web');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'compose.yaml'), 'services:\n  app:\n    image: example/app:1\n');
  facts = { name: 'web', dir, composeFile: join(dir, 'compose.yaml'), envFiles: [], services: ['app'] };
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Just enough of an app for the runner: real files and processes, an engine with no containers, an audit store we control. */
function makeCtx(append: (e: AuditEventInput) => Promise<void>, stacks: StackFacts[] = [facts]) {
  const real = createRealSys(process.env);
  const spawned: string[][] = [];
  const sys: Sys = { ...real, spawn: ((cmd: string, args: string[], o: object) => { spawned.push([cmd, ...args]); return real.spawn(cmd, args, o); }) as Sys['spawn'] };
  const ctx = {
    config: Config.parse({ stacksRoot: join(root, 'stacks'), intentsDir: root, dataDir: join(root, 'data') }),
    sys,
    audit: { append },
    stacks: { refresh: async () => undefined, find: (n: string) => stacks.find((s) => s.name === n) },
    engine: { listComposeContainers: async () => [], inspectImage: async () => null },
    redactor: { redact: (t: string) => t, redactValue: <T>(v: T) => v },
    childEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  } as unknown as AppContext;
  return { ctx, spawned };
}

const step: PlanStep = {
  index: 1, intent: 'deploy', stack: 'web', action: 'rollout', argv: ['docker', 'compose', 'up'], cwd: '/', description: 'roll out',
  kind: 'rollout', rollout: { pull: true, healthTimeoutMs: 5000 },
};
const plan = { intent: 'deploy', stack: 'web', params: {}, dialect: 'v1', steps: [step], timeoutMs: 60_000, hash: 'x' } as Plan;

describe('createCompositeRunner', () => {
  it('fails closed: a step.command append that rejects aborts the step before anything spawns', async () => {
    const seen: AuditEventInput[] = [];
    const { ctx, spawned } = makeCtx(async (e) => {
      seen.push(e);
      throw new AppError('E_AUDIT_UNAVAILABLE', 'disk full');
    });
    const runner = createCompositeRunner(ctx, { id: 'run-1', requestedBy: 'tester' }, plan);
    await expect(runner(step, undefined, 60_000)).rejects.toMatchObject({ code: 'E_AUDIT_UNAVAILABLE' });
    expect(spawned).toEqual([]);
    // The one attempted record named the process it would have started: the pull.
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ type: 'step.command', runId: 'run-1', actor: 'tester', data: { index: 1, stage: 'spawn' } });
    expect((seen[0]?.data?.argv as string[]).includes('pull')).toBe(true);
  });

  it('a stack that vanished is a failed step with a reason, not an exception', async () => {
    const { ctx, spawned } = makeCtx(async () => undefined, []);
    const rec = await createCompositeRunner(ctx, { id: 'run-2', requestedBy: 'tester' }, plan)(step, undefined, 60_000);
    expect(rec.outcome).toBe('failed');
    expect(rec.result?.stderr).toMatch(/stack web is no longer found/);
    expect(spawned).toEqual([]);
    expect(isRolledBack(rec)).toBe(false);
  });

  it('an unknown rollback point is a failed rollback step, not an exception', async () => {
    const { ctx, spawned } = makeCtx(async () => undefined);
    const rb: PlanStep = { ...step, action: 'rollback', kind: 'rollback', rollback: { to: 'nope', healthTimeoutMs: 5000 } };
    delete rb.rollout;
    const rec = await createCompositeRunner(ctx, { id: 'run-3', requestedBy: 'tester' }, plan)(rb, undefined, 60_000);
    expect(rec.outcome).toBe('failed');
    expect(rec.result?.stderr).toMatch(/no rollback point nope/);
    expect(spawned).toEqual([]);
  });
});

describe('clipHealth', () => {
  it.each([
    [120_000, 600_000, 120_000],
    [120_000, 90_000, 30_000],
    [120_000, 1_000, 1_000],
  ])('health %i ms with %i ms left waits %i ms (a rollback must still fit)', (health, left, want) => {
    expect(clipHealth(health, left)).toBe(want);
  });
});
