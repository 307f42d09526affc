import type { RunRow } from '../model.js';
import type { StepRecord } from '../exec/types.js';
import type { Plan } from '../plan/types.js';
import type { Redactor, RunView, StepView } from '../model.js';

export function pendingSteps(plan: Plan): StepView[] {
  return plan.steps.map((s) => ({
    index: s.index,
    intent: s.intent,
    stack: s.stack,
    action: s.action,
    argv: s.argv,
    description: s.description,
    outcome: 'pending',
    exitCode: null,
    durationMs: null,
    stdout: '',
    stderr: '',
    truncated: false,
  }));
}

/** Folds one finished step into the step list; output is redacted here, before it is stored. */
export function applyStepRecord(steps: StepView[], rec: StepRecord, redactor: Redactor): StepView[] {
  return steps.map((s) => {
    if (s.index !== rec.step.index) return s;
    const r = rec.result;
    const stderr = r?.spawnError ? `${r.stderr}${r.stderr ? '\n' : ''}oresi: could not start ${r.argv[0] ?? ''}: ${r.spawnError}` : (r?.stderr ?? '');
    return {
      ...s,
      outcome: rec.outcome,
      exitCode: r?.exitCode ?? null,
      durationMs: r ? Math.round(r.durationMs) : null,
      stdout: redactor.redact(r?.stdout ?? ''),
      stderr: redactor.redact(stderr),
      truncated: Boolean(r?.stdoutTruncated || r?.stderrTruncated),
    };
  });
}

export function toRunView(row: RunRow): RunView {
  return {
    id: row.id,
    intent: row.intent,
    stack: row.stack,
    state: row.state,
    requestedBy: row.requestedBy,
    source: row.source,
    reason: row.reason,
    params: row.params,
    planHash: row.planHash,
    steps: row.steps as StepView[],
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    finishedAt: row.finishedAt,
  };
}
