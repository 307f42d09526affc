import type { RunView, StepView } from '../model.js';
import type { AlertKind } from '../config/notify-schema.js';
import { tailOf } from './text.js';

export type Severity = 'info' | 'warning' | 'critical';

/**
 * What an alert says about its subject (the dedupeKey):
 * - `problem`: something is wrong; the first one is sent, repeats are suppressed;
 * - `ok`: the subject is healthy again; clears a problem (sent as "recovered");
 * - `event`: a one-off (a run started, an approval is wanted); never suppressed, clears nothing.
 */
export type AlertStatus = 'problem' | 'ok' | 'event';

export interface AlertEvent {
  kind: AlertKind;
  title: string;
  text: string;
  severity: Severity;
  status: AlertStatus;
  /** Identifies the subject across alerts, e.g. `run:<intent>` or `drift:<stack>`. */
  dedupeKey: string;
  /** ISO 8601 UTC. */
  at: string;
  runId?: string;
  stack?: string;
  intent?: string;
  fields?: Record<string, string>;
  /** Tail of the failing step's (already redacted) output. */
  logExcerpt?: string;
  durationMs?: number;
  /** An `ok` alert that is only worth sending when it ends a problem (a clean drift check). */
  quiet?: boolean;
  /** Set by the dispatcher on the `ok` alert that ends a problem. */
  recovered?: { since: string; suppressed: number };
}

/** Longest log tail an alert carries; sinks cut further to their own limits. */
export const LOG_EXCERPT_CHARS = 16_000;

const FAILED_STEP: ReadonlySet<StepView['outcome']> = new Set(['failed', 'timed_out']);

/** The alert a run in this state deserves, or null (requested/approved/rejected/cancelled… are not news). */
export function alertFromRun(run: RunView): AlertEvent | null {
  const base = { runId: run.id, stack: run.stack, intent: run.intent, dedupeKey: `run:${run.intent}`, at: run.finishedAt ?? run.updatedAt };
  const duration = sumDurations(run.steps);
  const where = `${run.intent} on stack ${run.stack}`;
  switch (run.state) {
    case 'running':
      return { ...base, kind: 'run.started', severity: 'info', status: 'event', title: `Started: ${where}`, text: describeRequest(run), fields: runFields(run) };
    case 'pending_approval':
      return { ...base, kind: 'approval.requested', severity: 'info', status: 'event', title: `Approval wanted: ${where}`, text: describeRequest(run), fields: runFields(run) };
    case 'succeeded':
      return withDuration({ ...base, kind: 'run.succeeded', severity: 'info', status: 'ok', title: `Succeeded: ${where}`, text: describeRequest(run), fields: runFields(run) }, duration);
    case 'failed':
    case 'timed_out':
    case 'interrupted':
    case 'rolled_back':
      return withDuration(failureAlert(run, base, where), duration);
    default:
      return null;
  }
}

function failureAlert(run: RunView, base: Omit<AlertEvent, 'kind' | 'title' | 'text' | 'severity' | 'status'>, where: string): AlertEvent {
  const step = findFailingStep(run.steps);
  const fields = runFields(run);
  let detail = '';
  if (step) {
    fields.step = `${step.index}/${run.steps.length} ${step.description}`.slice(0, 200);
    if (step.exitCode !== null) fields['exit code'] = String(step.exitCode);
    detail = `Step ${step.index} (${step.description}) ${step.outcome === 'timed_out' ? 'timed out' : `ended ${step.outcome}`}.`;
  }
  const log = step ? tailOf(step.stderr.trim() !== '' ? step.stderr : step.stdout, LOG_EXCERPT_CHARS) : '';
  const rolledBack = run.state === 'rolled_back';
  const verb = rolledBack ? 'Rolled back' : run.state === 'timed_out' ? 'Timed out' : run.state === 'interrupted' ? 'Interrupted' : 'Failed';
  return {
    ...base,
    kind: rolledBack ? 'run.rolled_back' : 'run.failed',
    // A rollback restored service; an interruption (oresi restarted) may have left nothing broken.
    severity: rolledBack || run.state === 'interrupted' ? 'warning' : 'critical',
    status: 'problem',
    title: `${verb}: ${where}`,
    text: [detail, describeRequest(run)].filter((s) => s !== '').join('\n'),
    fields,
    ...(log !== '' ? { logExcerpt: log } : {}),
  };
}

export interface DriftInput {
  stack: string;
  /** One line per finding; none means the stack matches git again. */
  findings: readonly string[];
  at: string;
}

/** Drift found is a problem (repeats suppressed); a clean check is a quiet `ok` that only reports recovery. */
export function alertFromDrift(input: DriftInput): AlertEvent {
  const base = { kind: 'drift.found' as const, stack: input.stack, dedupeKey: `drift:${input.stack}`, at: input.at };
  if (input.findings.length === 0) {
    return { ...base, severity: 'info', status: 'ok', quiet: true, title: `No drift: stack ${input.stack}`, text: `Stack ${input.stack} matches its declared state again.` };
  }
  const shown = input.findings.slice(0, 20);
  const more = input.findings.length - shown.length;
  return {
    ...base,
    severity: 'warning',
    status: 'problem',
    title: `Drift: stack ${input.stack} (${input.findings.length} finding${input.findings.length === 1 ? '' : 's'})`,
    text: shown.map((f) => `• ${f}`).join('\n') + (more > 0 ? `\n… and ${more} more` : ''),
    fields: { stack: input.stack, findings: String(input.findings.length) },
  };
}

export interface SecurityInput {
  /** Stable subject, e.g. `auth-failures:203.0.113.9`; becomes the dedupeKey. */
  key: string;
  title: string;
  text: string;
  severity?: Severity;
  fields?: Record<string, string>;
  stack?: string;
  at: string;
}

export function alertFromSecurity(input: SecurityInput): AlertEvent {
  return {
    kind: 'security.event',
    severity: input.severity ?? 'warning',
    status: 'event',
    dedupeKey: `security:${input.key}`,
    title: input.title,
    text: input.text,
    at: input.at,
    ...(input.fields ? { fields: { ...input.fields } } : {}),
    ...(input.stack !== undefined ? { stack: input.stack } : {}),
  };
}

function findFailingStep(steps: readonly StepView[]): StepView | undefined {
  return steps.find((s) => FAILED_STEP.has(s.outcome)) ?? [...steps].reverse().find((s) => s.stderr.trim() !== '');
}

function sumDurations(steps: readonly StepView[]): number | undefined {
  const known = steps.map((s) => s.durationMs).filter((d): d is number => d !== null);
  return known.length > 0 ? known.reduce((a, b) => a + b, 0) : undefined;
}

function withDuration(event: AlertEvent, durationMs: number | undefined): AlertEvent {
  if (durationMs === undefined) return event;
  return { ...event, durationMs, fields: { ...event.fields, duration: formatDuration(durationMs) } };
}

function runFields(run: RunView): Record<string, string> {
  return { run: run.id, intent: run.intent, stack: run.stack, 'requested by': `${run.requestedBy} (${run.source})` };
}

function describeRequest(run: RunView): string {
  return `Requested by ${run.requestedBy} via ${run.source}${run.reason ? `: ${run.reason}` : '.'}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
