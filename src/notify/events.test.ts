import { describe, expect, it } from 'vitest';
import type { RunView, StepView } from '../model.js';
import { LOG_EXCERPT_CHARS, alertFromDrift, alertFromRun, alertFromSecurity } from './events.js';

function step(index: number, patch: Partial<StepView> = {}): StepView {
  return {
    index, intent: 'restart-plex', stack: 'media', action: 'restart', argv: ['docker', 'compose', 'restart'],
    description: `step ${index}`, outcome: 'succeeded', exitCode: 0, durationMs: 1000, stdout: '', stderr: '', truncated: false, ...patch,
  };
}

function run(patch: Partial<RunView> = {}): RunView {
  return {
    id: '6f1c2a9e-1b2c-4d3e-8f90-0a1b2c3d4e5f', intent: 'restart-plex', stack: 'media', state: 'succeeded',
    requestedBy: 'alice', source: 'http', reason: 'weekly', params: {}, planHash: 'h',
    steps: [step(1), step(2, { durationMs: 500 })], createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:02.000Z', finishedAt: '2024-01-01T00:00:02.000Z', ...patch,
  };
}

describe('alertFromRun', () => {
  it('a success is an info ok alert keyed by intent, with the summed duration', () => {
    const a = alertFromRun(run());
    expect(a).toMatchObject({ kind: 'run.succeeded', severity: 'info', status: 'ok', dedupeKey: 'run:restart-plex', durationMs: 1500, runId: run().id, at: '2024-01-01T00:00:02.000Z' });
    expect(a?.logExcerpt).toBeUndefined();
  });

  it.each(['failed', 'timed_out'] as const)('%s is critical and carries the failing step stderr tail', (state) => {
    const longErr = 'x'.repeat(LOG_EXCERPT_CHARS) + 'THE-END-ERROR';
    const a = alertFromRun(run({ state, steps: [step(1), step(2, { outcome: state, exitCode: 3, stderr: longErr, stdout: 'ignored' }), step(3, { outcome: 'skipped', durationMs: null })] }));
    expect(a).toMatchObject({ kind: 'run.failed', severity: 'critical', status: 'problem', dedupeKey: 'run:restart-plex' });
    expect(a?.logExcerpt?.length).toBe(LOG_EXCERPT_CHARS);
    expect(a?.logExcerpt?.endsWith('THE-END-ERROR')).toBe(true);
    expect(a?.fields?.['exit code']).toBe('3');
    expect(a?.fields?.step).toContain('2/3');
  });

  it('falls back to stdout when the failing step wrote no stderr', () => {
    const a = alertFromRun(run({ state: 'failed', steps: [step(1, { outcome: 'failed', exitCode: 1, stdout: 'boom on stdout' })] }));
    expect(a?.logExcerpt).toBe('boom on stdout');
  });

  it('rolled_back is a warning problem of its own kind; started and approval are events', () => {
    expect(alertFromRun(run({ state: 'rolled_back' }))).toMatchObject({ kind: 'run.rolled_back', severity: 'warning', status: 'problem' });
    expect(alertFromRun(run({ state: 'running', finishedAt: null }))).toMatchObject({ kind: 'run.started', status: 'event' });
    expect(alertFromRun(run({ state: 'pending_approval', finishedAt: null }))).toMatchObject({ kind: 'approval.requested', status: 'event' });
  });

  it.each(['requested', 'approved', 'rejected', 'denied', 'expired', 'cancelled'] as const)('%s is not news', (state) => {
    expect(alertFromRun(run({ state }))).toBeNull();
  });
});

describe('free-form alerts', () => {
  it('drift with findings is a problem; a clean check is a quiet ok on the same key', () => {
    const found = alertFromDrift({ stack: 'media', findings: ['plex: image differs'], at: 't' });
    const clean = alertFromDrift({ stack: 'media', findings: [], at: 't' });
    expect(found).toMatchObject({ kind: 'drift.found', status: 'problem', severity: 'warning', dedupeKey: 'drift:media' });
    expect(found.text).toContain('plex: image differs');
    expect(clean).toMatchObject({ status: 'ok', quiet: true, dedupeKey: 'drift:media' });
  });

  it('drift lists at most 20 findings', () => {
    const a = alertFromDrift({ stack: 's', findings: Array.from({ length: 25 }, (_, i) => `f${i}`), at: 't' });
    expect(a.text).toContain('f19');
    expect(a.text).not.toContain('f20');
    expect(a.text).toContain('5 more');
  });

  it('security events are never-suppressed events keyed by their subject', () => {
    expect(alertFromSecurity({ key: 'auth:1.2.3.4', title: 'Auth failures', text: 't', at: 'x' }))
      .toMatchObject({ kind: 'security.event', status: 'event', severity: 'warning', dedupeKey: 'security:auth:1.2.3.4' });
  });
});
