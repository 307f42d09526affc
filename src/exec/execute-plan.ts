import type { PlanStep } from '../plan/types.js';
import type { Sys } from '../sys/sys.js';
import { runArgv } from './run-argv.js';
import type {
  ArgvResult,
  ExecutePlanOptions,
  PlanOutcome,
  PlanResult,
  StepOutcome,
  StepRecord,
} from './types.js';

/**
 * Runs a plan's steps one after another under one whole-plan deadline. The first step that
 * does not succeed ends the plan; the steps after it are recorded `skipped`.
 *
 * Locks are the caller's: it must hold them before it writes the audit record that
 * `beforeStep` completes. If `beforeStep` rejects, that step never spawns and the rejection
 * propagates (fail closed: an unaudited step must not run).
 *
 * `afterStep` is awaited for every record, skipped ones included, so an audit trail shows
 * what did not run as well as what did.
 */
export async function executePlan(sys: Sys, opts: ExecutePlanOptions): Promise<PlanResult> {
  const { plan, hooks } = opts;
  const t0 = sys.monotonic();
  const deadline = t0 + plan.timeoutMs;
  const steps: StepRecord[] = [];
  let outcome: PlanOutcome = 'succeeded';

  for (const step of plan.steps) {
    if (outcome === 'succeeded') outcome = checkBeforeStart(sys, opts, deadline);
    if (outcome !== 'succeeded') {
      await record(steps, { step, outcome: 'skipped' }, opts);
      continue;
    }
    await hooks?.beforeStep?.(step);
    const rec = isComposite(step) ? await runComposite(sys, opts, step, deadline) : await runArgvStep(sys, opts, step, deadline);
    if (rec.outcome !== 'succeeded' && rec.outcome !== 'skipped') outcome = toPlanOutcome(rec.outcome);
    await record(steps, rec, opts);
  }
  return { outcome, steps, durationMs: sys.monotonic() - t0 };
}

function isComposite(step: PlanStep): boolean {
  return step.kind !== undefined && step.kind !== 'argv';
}

async function runArgvStep(sys: Sys, opts: ExecutePlanOptions, step: PlanStep, deadline: number): Promise<StepRecord> {
  const result = await runArgv(sys, step.argv, {
    cwd: step.cwd,
    env: opts.env,
    timeoutMs: deadline - sys.monotonic(),
    killGraceMs: opts.killGraceMs,
    maxOutputBytes: opts.maxOutputBytes,
    signal: opts.signal,
    onOutput: forwardOutput(opts, step),
  });
  return { step, outcome: classifyResult(result), result };
}

/** A composite step runs through the caller's runner; without one it fails, spawning nothing. */
async function runComposite(sys: Sys, opts: ExecutePlanOptions, step: PlanStep, deadline: number): Promise<StepRecord> {
  if (opts.composite) return opts.composite(step, opts.signal, deadline - sys.monotonic());
  const result: ArgvResult = {
    argv: step.argv, exitCode: null, signal: null, stdout: '', stderr: '', stdoutTruncated: false, stderrTruncated: false,
    timedOut: false, cancelled: false, startedAt: sys.now(), durationMs: 0,
    spawnError: `a ${step.kind ?? 'composite'} step needs a composite runner, and this executor was given none`,
  };
  return { step, outcome: 'failed', result };
}

/** The outcome of one finished argv, from most to least specific cause. */
export function classifyResult(result: ArgvResult): Exclude<StepOutcome, 'skipped'> {
  if (result.cancelled) return 'cancelled';
  if (result.timedOut) return 'timed_out';
  if (result.spawnError !== undefined || result.exitCode !== 0) return 'failed';
  return 'succeeded';
}

function toPlanOutcome(step: Exclude<StepOutcome, 'skipped' | 'succeeded'>): PlanOutcome {
  return step;
}

/** A step that cannot start in time or after cancellation ends the plan without spawning. */
function checkBeforeStart(sys: Sys, opts: ExecutePlanOptions, deadline: number): PlanOutcome {
  if (opts.signal?.aborted) return 'cancelled';
  if (sys.monotonic() >= deadline) return 'timed_out';
  return 'succeeded';
}

function forwardOutput(opts: ExecutePlanOptions, step: PlanStep) {
  const onOutput = opts.hooks?.onOutput;
  if (!onOutput) return undefined;
  return (stream: 'stdout' | 'stderr', chunk: string) => onOutput(step, stream, chunk);
}

async function record(steps: StepRecord[], rec: StepRecord, opts: ExecutePlanOptions): Promise<void> {
  steps.push(rec);
  await opts.hooks?.afterStep?.(rec);
}
