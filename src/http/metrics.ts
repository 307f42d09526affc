import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { chainObservers } from '../commands/observer.js';
import type { AppContext } from '../commands/types.js';
import type { RunObserver, RunView } from '../model.js';

export interface HttpMetrics {
  registry: Registry;
  authFailures: Counter<'reason'>;
  rateLimited: Counter<'scope'>;
  observer: RunObserver;
}

/** Label values come from the catalog, never from the request, so a caller cannot mint series. */
function intentLabel(ctx: AppContext, intent: string): string {
  return ctx.catalog.getIntent(intent) ? intent : '_unknown';
}

/** Execution time: the steps' own durations (approval waits are not run time). */
function runSeconds(run: RunView): number | null {
  const ms = run.steps.reduce((sum, s) => sum + (s.durationMs ?? 0), 0);
  return run.steps.some((s) => s.durationMs !== null) ? ms / 1000 : null;
}

/** One registry per server (not prom-client's global one), so two servers in a process never mix. */
export function createMetrics(ctx: AppContext, version: string): HttpMetrics {
  const registry = new Registry();
  const runs = new Counter({ name: 'oresi_runs_total', help: 'Runs by intent and outcome (final state, or rejected).', labelNames: ['intent', 'outcome'] as const, registers: [registry] });
  const duration = new Histogram({
    name: 'oresi_run_duration_seconds',
    help: 'Execution time of finished runs (sum of step durations).',
    labelNames: ['intent', 'outcome'] as const,
    buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600],
    registers: [registry],
  });
  const authFailures = new Counter({ name: 'oresi_auth_failures_total', help: 'Refused authentications by reason.', labelNames: ['reason'] as const, registers: [registry] });
  const rateLimited = new Counter({ name: 'oresi_rate_limited_total', help: 'Requests answered 429.', labelNames: ['scope'] as const, registers: [registry] });
  new Gauge({
    name: 'oresi_approvals_pending',
    help: 'Runs waiting for approval.',
    registers: [registry],
    collect() {
      try {
        this.set(ctx.audit.listRuns({ state: 'pending_approval', limit: 1000 }).runs.length);
      } catch {
        // The audit store being down is reported by /readyz; the scrape should still succeed.
      }
    },
  });
  const build = new Gauge({ name: 'oresi_build_info', help: 'Always 1; labels describe the build.', labelNames: ['version', 'node'] as const, registers: [registry] });
  build.set({ version, node: process.version }, 1);

  const observer: RunObserver = {
    runFinished(run) {
      const labels = { intent: intentLabel(ctx, run.intent), outcome: run.state };
      runs.inc(labels);
      const seconds = runSeconds(run);
      if (seconds !== null) duration.observe(labels, seconds);
    },
    runRejected(intent) {
      runs.inc({ intent: intentLabel(ctx, intent), outcome: 'rejected' });
    },
  };
  return { registry, authFailures, rateLimited, observer };
}

/** Chains our observer after whatever app.ts installed, keeping both. */
export function attachObserver(ctx: AppContext, ours: RunObserver): void {
  ctx.observer = chainObservers(ctx.observer, ours);
}
