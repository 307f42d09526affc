import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan, PlanStep } from '../plan/types.js';
import { createRealSys } from '../sys/real.js';
import type { Sys } from '../sys/sys.js';
import { buildChildEnv } from './child-env.js';
import { executePlan } from './execute-plan.js';
import type { ExecutePlanOptions, StepRecord } from './types.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oresi-exec-plan-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Real spawns, counted: "did it spawn?" is the question fail-closed tests ask. */
function countingSys(): Sys & { spawned: string[][] } {
  const real = createRealSys(process.env);
  const spawned: string[][] = [];
  const spawn = ((cmd: string, args: string[], o: object) => {
    spawned.push([cmd, ...args]);
    return real.spawn(cmd, args, o);
  }) as Sys['spawn'];
  return { ...real, spawn, spawned };
}

function makePlan(argvs: string[][], timeoutMs = 20_000): Plan {
  const steps: PlanStep[] = argvs.map((argv, i) => ({
    index: i + 1, intent: 'test', stack: 'demo', action: 'status', argv, cwd: dir, description: `step ${i + 1}`,
  }));
  return { intent: 'test', stack: 'demo', params: {}, dialect: 'v1', steps, timeoutMs, hash: 'x' };
}

function options(plan: Plan, over: Partial<ExecutePlanOptions> = {}): ExecutePlanOptions {
  return { plan, env: buildChildEnv(process.env, []), maxOutputBytes: 4096, killGraceMs: 300, ...over };
}

describe('executePlan', () => {
  it('runs steps in order and succeeds when all exit 0', async () => {
    const sys = countingSys();
    const r = await executePlan(sys, options(makePlan([['/bin/echo', 'one'], ['/bin/echo', 'two']])));
    expect(r.outcome).toBe('succeeded');
    expect(r.steps.map((s) => [s.outcome, s.result?.stdout])).toEqual([['succeeded', 'one\n'], ['succeeded', 'two\n']]);
    expect(sys.spawned).toEqual([['/bin/echo', 'one'], ['/bin/echo', 'two']]);
  });

  it('stops at the first failing step and records the rest as skipped', async () => {
    const sys = countingSys();
    const seen: StepRecord[] = [];
    const plan = makePlan([['/bin/true'], ['/bin/false'], ['/bin/echo', 'never'], ['/bin/echo', 'never']]);
    const r = await executePlan(sys, options(plan, { hooks: { afterStep: async (rec) => { seen.push(rec); } } }));
    expect(r.outcome).toBe('failed');
    expect(r.steps.map((s) => s.outcome)).toEqual(['succeeded', 'failed', 'skipped', 'skipped']);
    expect(r.steps[1]?.result?.exitCode).toBe(1);
    expect(r.steps[2]?.result).toBeUndefined();
    expect(sys.spawned).toHaveLength(2);
    expect(seen.map((s) => s.step.index)).toEqual([1, 2, 3, 4]);
  });

  it('treats a program that cannot start as a failed step', async () => {
    const sys = countingSys();
    const r = await executePlan(sys, options(makePlan([['/nonexistent/oresi'], ['/bin/true']])));
    expect(r.outcome).toBe('failed');
    expect(r.steps[0]?.result?.spawnError).toMatch(/ENOENT/);
    expect(r.steps[1]?.outcome).toBe('skipped');
  });

  it('fails closed: a rejecting beforeStep stops the plan before that step spawns', async () => {
    const sys = countingSys();
    const calls: number[] = [];
    const plan = makePlan([['/bin/echo', 'a'], ['/bin/echo', 'b'], ['/bin/echo', 'c']]);
    const run = executePlan(sys, options(plan, {
      hooks: {
        beforeStep: async (step) => {
          calls.push(step.index);
          if (step.index === 2) throw new Error('audit store unavailable');
        },
      },
    }));
    await expect(run).rejects.toThrow('audit store unavailable');
    expect(calls).toEqual([1, 2]);
    expect(sys.spawned).toEqual([['/bin/echo', 'a']]);
  });

  it('awaits beforeStep before spawning', async () => {
    const sys = countingSys();
    let spawnedDuringHook = -1;
    const plan = makePlan([['/bin/true']]);
    await executePlan(sys, options(plan, {
      hooks: {
        beforeStep: async () => {
          await new Promise((r) => setTimeout(r, 20));
          spawnedDuringHook = sys.spawned.length;
        },
      },
    }));
    expect(spawnedDuringHook).toBe(0);
    expect(sys.spawned).toHaveLength(1);
  });

  it('gives each step only what is left of the whole-plan deadline', async () => {
    const sys = countingSys();
    const plan = makePlan([['/bin/sleep', '300'], ['/bin/echo', 'never']], 300);
    const r = await executePlan(sys, options(plan));
    expect(r.outcome).toBe('timed_out');
    expect(r.steps.map((s) => s.outcome)).toEqual(['timed_out', 'skipped']);
    expect(sys.spawned).toHaveLength(1);
  });

  it('cancels through the signal and spawns nothing after it', async () => {
    const sys = countingSys();
    const ac = new AbortController();
    const plan = makePlan([['/bin/sh', '-c', 'echo ready; sleep 300'], ['/bin/echo', 'never']]);
    const r = await executePlan(sys, options(plan, { signal: ac.signal, hooks: { onOutput: () => ac.abort() } }));
    expect(r.outcome).toBe('cancelled');
    expect(r.steps.map((s) => s.outcome)).toEqual(['cancelled', 'skipped']);
    expect(sys.spawned).toHaveLength(1);
  });

  it('forwards live output tagged with its step', async () => {
    const sys = countingSys();
    const got: string[] = [];
    const plan = makePlan([['/bin/echo', 'x'], ['/bin/sh', '-c', 'echo y >&2']]);
    await executePlan(sys, options(plan, { hooks: { onOutput: (step, stream, chunk) => got.push(`${step.index}:${stream}:${chunk}`) } }));
    expect(got).toEqual(['1:stdout:x\n', '2:stderr:y\n']);
  });
});

describe('executePlan: composite steps', () => {
  const asRollout = (plan: Plan, index: number): Plan => ({
    ...plan,
    steps: plan.steps.map((s) => (s.index === index ? { ...s, kind: 'rollout' as const, rollout: { pull: true, healthTimeoutMs: 1000 } } : s)),
  });

  it('hands a rollout step to the composite runner, inside beforeStep/afterStep, with the time left', async () => {
    const sys = countingSys();
    const order: string[] = [];
    const plan = asRollout(makePlan([['/bin/echo', 'one'], ['/bin/echo', 'display only'], ['/bin/echo', 'three']], 20_000), 2);
    const r = await executePlan(sys, options(plan, {
      hooks: {
        beforeStep: async (step) => { order.push(`before ${step.index}`); },
        afterStep: async (rec) => { order.push(`after ${rec.step.index} ${rec.outcome}`); },
      },
      composite: async (step, _signal, remainingMs) => {
        order.push(`composite ${step.index} ${step.kind}`);
        expect(remainingMs).toBeGreaterThan(0);
        expect(remainingMs).toBeLessThanOrEqual(20_000);
        return { step, outcome: 'succeeded', detail: { rolloutId: 'r1' } };
      },
    }));
    expect(r.outcome).toBe('succeeded');
    expect(order).toEqual(['before 1', 'after 1 succeeded', 'before 2', 'composite 2 rollout', 'after 2 succeeded', 'before 3', 'after 3 succeeded']);
    // The composite step's argv is for display: the executor never spawned it.
    expect(sys.spawned).toEqual([['/bin/echo', 'one'], ['/bin/echo', 'three']]);
    expect(r.steps[1]?.detail).toEqual({ rolloutId: 'r1' });
  });

  it('a failing composite step ends the plan like a failing argv step', async () => {
    const sys = countingSys();
    const plan = asRollout(makePlan([['/bin/echo', 'rollout'], ['/bin/echo', 'never']]), 1);
    const r = await executePlan(sys, options(plan, { composite: async (step) => ({ step, outcome: 'failed' }) }));
    expect(r.outcome).toBe('failed');
    expect(r.steps.map((s) => s.outcome)).toEqual(['failed', 'skipped']);
    expect(sys.spawned).toEqual([]);
  });

  it('without a composite runner the step fails with a clear message and spawns nothing', async () => {
    const sys = countingSys();
    const plan = asRollout(makePlan([['/bin/echo', 'rollout']]), 1);
    const r = await executePlan(sys, options(plan));
    expect(r.outcome).toBe('failed');
    expect(r.steps[0]?.result?.spawnError).toMatch(/rollout step needs a composite runner/);
    expect(sys.spawned).toEqual([]);
  });

  it('a rejecting composite runner propagates (fail closed) and nothing after it runs', async () => {
    const sys = countingSys();
    const plan = asRollout(makePlan([['/bin/echo', 'rollout'], ['/bin/echo', 'never']]), 1);
    await expect(executePlan(sys, options(plan, { composite: async () => { throw new Error('audit store unavailable'); } })))
      .rejects.toThrow('audit store unavailable');
    expect(sys.spawned).toEqual([]);
  });
});
