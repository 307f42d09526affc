import type { RunRow, RunState } from '../model.js';
import { executePlan } from '../exec/execute-plan.js';
import { trackSpawns } from '../exec/track-spawns.js';
import type { PlanOutcome, StepRecord } from '../exec/types.js';
import type { Plan } from '../plan/types.js';
import { createCompositeRunner, isRolledBack } from './composite-step.js';
import { applyStepRecord, toRunView } from './run-view.js';
import type { AppContext } from './types.js';
import type { RunView, StepView } from '../model.js';

const STATE_OF: Record<PlanOutcome, RunState> = {
  succeeded: 'succeeded',
  failed: 'failed',
  timed_out: 'timed_out',
  cancelled: 'cancelled',
};

/**
 * Executes a recorded run. Never throws: every ending, including an audit store that fails
 * mid-run, becomes a terminal state on the run and (when the store allows) an audit record.
 */
export async function executeRun(ctx: AppContext, row: RunRow, plan: Plan, signal: AbortSignal): Promise<RunView> {
  let steps = row.steps as StepView[];
  const who = { runId: row.id, actor: row.requestedBy };
  const started = ctx.sys.monotonic();
  let state: RunState;
  let error: string | null = null;
  // Every process of the run is recorded in its stack locks, so a crash cannot free the stack
  // while one of them still works on it.
  const track = ctx.locks.track?.bind(ctx.locks);
  const sys = track ? trackSpawns(ctx.sys, (child) => track(row.id, child)) : ctx.sys;
  try {
    const result = await executePlan(sys, {
      plan,
      env: ctx.childEnv,
      maxOutputBytes: ctx.config.limits.outputBytes,
      killGraceMs: ctx.config.limits.killGraceMs,
      signal,
      composite: createCompositeRunner(ctx, row, plan, sys),
      hooks: {
        // Fail closed per step too: no step.started record, no spawn.
        beforeStep: async (step) => {
          await ctx.audit.append({ ...who, type: 'step.started', data: { index: step.index, argv: step.argv, cwd: step.cwd, ...(step.kind ? { kind: step.kind } : {}) } });
          steps = steps.map((s) => (s.index === step.index ? { ...s, outcome: 'running' } : s));
          await ctx.audit.updateRun(row.id, { steps });
        },
        afterStep: async (rec: StepRecord) => {
          steps = applyStepRecord(steps, rec, ctx.redactor);
          const view = steps.find((s) => s.index === rec.step.index);
          await ctx.audit.append({
            ...who,
            type: 'step.finished',
            data: {
              index: rec.step.index, outcome: rec.outcome, exitCode: view?.exitCode ?? null, durationMs: view?.durationMs ?? null,
              stdout: view?.stdout ?? '', stderr: view?.stderr ?? '', truncated: view?.truncated ?? false,
              ...(rec.detail ? { [rec.step.kind ?? 'detail']: ctx.redactor.redactValue(rec.detail) } : {}),
            },
          });
          await ctx.audit.updateRun(row.id, { steps });
        },
      },
    });
    state = STATE_OF[result.outcome];
    // A rollout that failed and put the recorded images back ends the run as rolled_back, not failed.
    if (state === 'failed' && result.steps.some(isRolledBack)) state = 'rolled_back';
  } catch (err) {
    state = 'failed';
    error = ctx.redactor.redact(err instanceof Error ? err.message : String(err));
    ctx.logger.error({ runId: row.id, err: error }, 'run aborted');
  }
  const finishedAt = new Date(ctx.sys.now()).toISOString();
  const durationMs = Math.round(ctx.sys.monotonic() - started);
  try {
    await ctx.audit.append({ ...who, type: 'run.finished', data: { state, durationMs, error } });
    await ctx.audit.updateRun(row.id, { state, steps, finishedAt });
  } catch (err) {
    ctx.logger.error({ runId: row.id, err: String(err) }, 'could not record the end of a run; it will show as interrupted after a restart');
  }
  const view: RunView = { ...toRunView(row), state, steps, finishedAt, updatedAt: finishedAt };
  ctx.observer.runFinished?.(view);
  return view;
}
