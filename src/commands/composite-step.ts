import type { ArgvResult, CompositeRunner, StepOutcome, StepRecord } from '../exec/types.js';
import type { Plan, PlanStep, StackFacts } from '../plan/types.js';
import { createFileRollbackStore } from '../rollout/file-store.js';
import { performRollback, type RollbackOutcome } from '../rollout/rollback.js';
import { isValidPointId } from '../rollout/rollback-point.js';
import { performRollout } from '../rollout/rollout.js';
import type { RolloutContext, RolloutOutcome, RolloutResult, SpawnHooks } from '../rollout/types.js';
import { failedRecord, rollbackRecord, rolloutRecord } from './composite-summary.js';
import type { AppContext } from './types.js';

/** A health wait never takes more than this share of what is left, so a rollback still fits. */
const HEALTH_SHARE = 3;
const MIN_HEALTH_MS = 1000;
const STDERR_TAIL = 1000;

/** Marks a rejection of our own audit hook, which must propagate (fail closed), from other errors. */
class HookFailure extends Error {
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/**
 * Runs rollout and rollback steps of a recorded run through the rollout library. Every process
 * it starts is preceded by a committed `step.command` audit record; when that append fails, the
 * step rejects and nothing more is spawned. Outcomes are data: a rolled-back rollout is a failed
 * step whose detail says `rolled_back`, which executeRun turns into the run state.
 */
/** `sys` spawns the step's processes (the run's, which records them in its stack locks). */
export function createCompositeRunner(ctx: AppContext, run: { id: string; requestedBy: string }, plan: Plan, sys = ctx.sys): CompositeRunner {
  return async (step, signal, remainingMs) => {
    const startedAt = ctx.sys.now();
    const t0 = ctx.sys.monotonic();
    await ctx.stacks.refresh();
    const facts = ctx.stacks.find(step.stack);
    if (!facts) return failedRecord(step, `stack ${step.stack} is no longer found under the stacks root`, startedAt, ctx.sys.monotonic() - t0);

    // The run's deadline ends the step like a cancel, but is reported as timed_out.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), Math.max(0, remainingMs));
    const combined = signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
    const stopped = (): StepOutcome => (deadline.signal.aborted && !signal?.aborted ? 'timed_out' : 'cancelled');
    try {
      const rc = { ...rolloutContext(ctx, run, plan, step, facts, combined), sys };
      const limits = commandLimits(ctx, remainingMs);
      if (step.kind === 'rollback') {
        const spec = step.rollback ?? { healthTimeoutMs: 120_000 };
        const r = await performRollback({
          ...rc, ...(spec.to === undefined ? {} : { to: spec.to }),
          options: { ...limits, healthTimeoutMs: clipHealth(spec.healthTimeoutMs, remainingMs), ...(rolloutHealth(ctx)) },
        });
        return rollbackRecord(step, r, rollbackOutcome(r.outcome, stopped), startedAt);
      }
      const spec = step.rollout ?? { pull: true, healthTimeoutMs: 120_000 };
      const r = (await performRollout({
        ...rc,
        options: {
          ...limits, ...rolloutHealth(ctx), pull: spec.pull, healthTimeoutMs: clipHealth(spec.healthTimeoutMs, remainingMs),
          ...(spec.services === undefined ? {} : { services: spec.services }), rolloutId: newRolloutId(ctx),
        },
      })) as RolloutResult;
      return rolloutRecord(step, r, rolloutOutcome(r.outcome, stopped), startedAt);
    } catch (err) {
      if (err instanceof HookFailure) throw err.cause;
      return failedRecord(step, err instanceof Error ? err.message : String(err), startedAt, ctx.sys.monotonic() - t0);
    } finally {
      clearTimeout(timer);
    }
  };
}

function rolloutContext(ctx: AppContext, run: { id: string; requestedBy: string }, plan: Plan, step: PlanStep, facts: StackFacts, signal: AbortSignal): RolloutContext {
  return {
    sys: ctx.sys,
    engine: ctx.engine,
    facts,
    dialect: plan.dialect,
    env: ctx.childEnv,
    store: createFileRollbackStore(ctx.config.dataDir, ctx.sys.fs),
    hooks: auditHooks(ctx, run, step),
    signal,
  };
}

/** Invariant 1 per process: the argv is committed to the audit trail before it spawns. */
export function auditHooks(ctx: AppContext, run: { id: string; requestedBy: string }, step: PlanStep): SpawnHooks {
  const who = { runId: run.id, actor: run.requestedBy };
  const append = async (data: Record<string, unknown>) => {
    try {
      await ctx.audit.append({ ...who, type: 'step.command', data: ctx.redactor.redactValue({ index: step.index, ...data }) });
    } catch (err) {
      throw new HookFailure(err);
    }
  };
  return {
    beforeSpawn: (argv, description) => append({ stage: 'spawn', argv, description }),
    afterSpawn: (argv, r: ArgvResult) => append({
      stage: 'exit', argv, exitCode: r.exitCode, signal: r.signal, timedOut: r.timedOut, cancelled: r.cancelled,
      durationMs: Math.round(r.durationMs), spawnError: r.spawnError ?? null, stderrTail: r.stderr.slice(-STDERR_TAIL),
    }),
  };
}

function commandLimits(ctx: AppContext, remainingMs: number) {
  return { commandTimeoutMs: Math.max(1, remainingMs), killGraceMs: ctx.config.limits.killGraceMs, maxOutputBytes: ctx.config.limits.outputBytes };
}

function rolloutHealth(ctx: AppContext) {
  const cfg = ctx.config.rollout;
  return { pollMs: cfg.pollMs, stableMs: cfg.stableMs };
}

/** The health wait leaves room for a rollback (its own up and health wait) inside the run's deadline. */
export function clipHealth(healthTimeoutMs: number, remainingMs: number): number {
  return Math.max(MIN_HEALTH_MS, Math.min(healthTimeoutMs, Math.floor(remainingMs / HEALTH_SHARE)));
}

function newRolloutId(ctx: AppContext): string {
  const id = ctx.sys.newId().toLowerCase();
  return isValidPointId(id) ? id : `r${Math.round(ctx.sys.now()).toString(36)}`;
}

function rolloutOutcome(o: RolloutOutcome, stopped: () => StepOutcome): StepOutcome {
  if (o === 'succeeded') return 'succeeded';
  if (o === 'cancelled') return stopped();
  return 'failed';
}

function rollbackOutcome(o: RollbackOutcome, stopped: () => StepOutcome): StepOutcome {
  if (o === 'rolled_back') return 'succeeded';
  if (o === 'cancelled') return stopped();
  return 'failed';
}

/** True when a finished step was a rollout that failed and was rolled back (and verified). */
export function isRolledBack(rec: StepRecord): boolean {
  return rec.step.kind === 'rollout' && rec.detail?.outcome === 'rolled_back';
}
