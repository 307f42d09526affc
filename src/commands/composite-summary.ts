import type { ArgvResult, StepOutcome, StepRecord } from '../exec/types.js';
import type { PlanStep } from '../plan/types.js';
import type { RollbackResult } from '../rollout/rollback.js';
import type { HealthReport, RestoreReport, RolloutResult } from '../rollout/types.js';
import type { RollbackPoint } from '../rollout/rollback-point.js';

/**
 * Turns a rollout library result into the run's step record: a few readable lines as stdout (what
 * GET /v1/runs/:id and the CLI show), the reason as stderr, and the structured summary as
 * `detail` (for the step.finished audit record). Redaction happens where the run stores them.
 */
export function rolloutRecord(step: PlanStep, r: RolloutResult, outcome: StepOutcome, startedAt: number): StepRecord {
  const detail = {
    kind: 'rollout',
    rolloutId: r.rolloutId,
    outcome: r.outcome,
    reason: r.reason ?? null,
    changed: r.changed,
    point: summarizePoint(r.point),
    health: summarizeHealth(r.health),
    rollback: summarizeRestore(r.rollback),
    commands: r.steps.map((s) => ({ phase: s.phase, exitCode: s.result?.exitCode ?? null })),
  };
  const lines = [`rollout ${r.rolloutId} of stack ${r.stack}: ${r.outcome.replace('_', ' ')}`];
  lines.push(...pointLines(r.point), ...healthLines('health', r.health), ...restoreLines(r.rollback));
  if (r.outcome === 'rolled_back') lines.push('the new images failed their health check; the stack runs the images recorded before the rollout');
  return { step, outcome, result: synthResult(step, outcome, lines, r.reason, startedAt, r.durationMs), detail };
}

export function rollbackRecord(step: PlanStep, r: RollbackResult, outcome: StepOutcome, startedAt: number): StepRecord {
  const detail = {
    kind: 'rollback',
    outcome: r.outcome,
    reason: r.reason ?? null,
    point: summarizePoint(r.point),
    restore: summarizeRestore(r.restore),
    commands: r.steps.map((s) => ({ phase: s.phase, exitCode: s.result?.exitCode ?? null })),
  };
  const lines = [`rollback of stack ${r.stack}${r.point ? ` to rollout ${r.point.id}` : ''}: ${r.outcome.replace('_', ' ')}`];
  lines.push(...pointLines(r.point), ...restoreLines(r.restore));
  return { step, outcome, result: synthResult(step, outcome, lines, r.reason, startedAt, r.durationMs), detail };
}

/** A composite step that could not start (stack gone, point unreadable): data, not an exception. */
export function failedRecord(step: PlanStep, reason: string, startedAt: number, durationMs: number): StepRecord {
  return { step, outcome: 'failed', result: synthResult(step, 'failed', [], reason, startedAt, durationMs), detail: { kind: step.kind, outcome: 'failed', reason } };
}

function synthResult(step: PlanStep, outcome: StepOutcome, lines: string[], reason: string | undefined, startedAt: number, durationMs: number): ArgvResult {
  return {
    argv: step.argv,
    // Several processes ran: there is no one exit code, only the verdict.
    exitCode: outcome === 'succeeded' ? 0 : null,
    signal: null,
    stdout: lines.length > 0 ? `${lines.join('\n')}\n` : '',
    stderr: reason ? `${reason}\n` : '',
    stdoutTruncated: false,
    stderrTruncated: false,
    timedOut: outcome === 'timed_out',
    cancelled: outcome === 'cancelled',
    startedAt,
    durationMs,
  };
}

function summarizePoint(p: RollbackPoint | null) {
  if (!p) return null;
  return { id: p.id, createdAt: p.createdAt, services: p.services.map((s) => ({ service: s.service, imageRef: s.imageRef, imageId: s.imageId, rollbackTag: s.rollbackTag })) };
}

function summarizeHealth(h: HealthReport | null) {
  if (!h) return null;
  return { healthy: h.healthy, timedOut: h.timedOut, cancelled: h.cancelled, waitedMs: Math.round(h.waitedMs), services: h.services.map((s) => ({ service: s.service, status: s.status, detail: s.detail, imageIds: s.imageIds })) };
}

function summarizeRestore(r: RestoreReport | null) {
  if (!r) return null;
  return { pointId: r.pointId, pins: r.pins, verified: r.verified, mismatches: r.mismatches, health: summarizeHealth(r.health) };
}

const shortId = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

function pointLines(p: RollbackPoint | null): string[] {
  if (!p) return ['rollback point: none (no service of the stack was running)'];
  return [`rollback point ${p.id}: ${p.services.map((s) => `${s.service}=${shortId(s.imageId)} (${s.imageRef})`).join(', ') || 'no services'}`];
}

function healthLines(label: string, h: HealthReport | null): string[] {
  if (!h) return [];
  const verdict = h.healthy ? 'healthy' : h.timedOut ? 'not healthy in time' : h.cancelled ? 'cancelled' : 'unhealthy';
  return [`${label}: ${verdict} after ${Math.round(h.waitedMs)} ms; ${h.services.map((s) => `${s.service} ${s.status} (${s.detail})`).join('; ')}`];
}

function restoreLines(r: RestoreReport | null): string[] {
  if (!r) return [];
  const pins = Object.entries(r.pins).map(([s, ref]) => `${s}=${ref}`).join(', ');
  const lines = [`rollback to ${r.pointId}: ${r.verified ? 'verified' : 'NOT verified'}; pinned ${pins || 'nothing'}`];
  lines.push(...healthLines('health after rollback', r.health));
  for (const m of r.mismatches) lines.push(`  ${m.service} runs ${m.running.map(shortId).join(', ') || 'nothing'}, expected ${shortId(m.expected)}`);
  return lines;
}
