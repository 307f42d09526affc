import { setTimeout as sleep } from 'node:timers/promises';
import type { ComposeContainer } from '../docker/engine-types.js';
import { isAppError } from '../errors.js';
import type { HealthOptions, HealthReport, RolloutContext, ServiceHealth } from './types.js';

const ONEOFF_LABEL = 'com.docker.compose.oneoff';

/**
 * One look at a stack's services. A service is ok when it has containers and every one runs
 * (and is healthy where a healthcheck exists, declared in compose or baked into the image);
 * an exit, a restart loop or `unhealthy` is a verdict, not something to wait out.
 */
export function assessServices(containers: readonly ComposeContainer[], project: string, services: readonly string[]): ServiceHealth[] {
  return services.map((service): ServiceHealth => {
    const mine = containers.filter((c) => c.project === project && c.service === service && c.labels[ONEOFF_LABEL] !== 'True');
    const imageIds = [...new Set(mine.map((c) => c.imageId))];
    const base = { service, imageIds };
    if (mine.length === 0) return { ...base, status: 'pending', detail: 'no container yet' };
    const bad = mine.find((c) => c.state === 'exited' || c.state === 'dead' || c.state === 'restarting');
    if (bad) return { ...base, status: 'failed', detail: `${bad.name} is ${bad.state} (${bad.status})` };
    const sick = mine.find((c) => c.health === 'unhealthy');
    if (sick) return { ...base, status: 'failed', detail: `${sick.name} is unhealthy` };
    const waiting = mine.find((c) => c.state !== 'running' || c.health === 'starting');
    if (waiting) {
      const why = waiting.state !== 'running' ? waiting.state : 'health check starting';
      return { ...base, status: 'pending', detail: `${waiting.name}: ${why}` };
    }
    const checked = mine.some((c) => c.health === 'healthy');
    return { ...base, status: 'ok', detail: `${mine.length} running${checked ? ', healthy' : ''}` };
  });
}

/**
 * Polls the engine until every service is ok (and has stayed so for stableMs), one fails, the
 * deadline passes or the signal aborts. An engine hiccup during the wait is a pending poll, not
 * an abort: the deadline still bounds it.
 */
export async function waitForHealth(
  ctx: Pick<RolloutContext, 'sys' | 'engine' | 'facts' | 'signal'>,
  services: readonly string[],
  opts: HealthOptions,
): Promise<HealthReport> {
  const t0 = ctx.sys.monotonic();
  const stableMs = opts.stableMs ?? 0;
  let okSince: number | null = null;
  let last: ServiceHealth[] = services.map((service): ServiceHealth => ({ service, status: 'pending', detail: 'not checked yet', imageIds: [] }));
  const report = (fields: Partial<HealthReport>): HealthReport => ({
    healthy: false, timedOut: false, cancelled: false, services: last, waitedMs: ctx.sys.monotonic() - t0, ...fields,
  });

  for (;;) {
    if (ctx.signal?.aborted) return report({ cancelled: true });
    try {
      last = assessServices(await ctx.engine.listComposeContainers(), ctx.facts.name, services);
    } catch (err) {
      if (!isAppError(err)) throw err;
      last = last.map((s): ServiceHealth => ({ ...s, status: 'pending', detail: `engine: ${err.message}` }));
    }
    const now = ctx.sys.monotonic();
    if (last.some((s) => s.status === 'failed')) return report({});
    if (last.every((s) => s.status === 'ok')) {
      okSince ??= now;
      if (now - okSince >= stableMs) return report({ healthy: true });
    } else {
      okSince = null;
    }
    if (now - t0 >= opts.healthTimeoutMs) return report({ timedOut: true });
    try {
      await sleep(Math.max(1, Math.min(opts.pollMs, opts.healthTimeoutMs - (now - t0))), undefined, ctx.signal ? { signal: ctx.signal } : {});
    } catch {
      return report({ cancelled: true });
    }
  }
}

export function summarizeHealth(h: HealthReport): string {
  if (h.healthy) return 'healthy';
  if (h.cancelled) return 'cancelled while waiting for health';
  const failing = h.services.filter((s) => s.status !== 'ok').map((s) => `${s.service}: ${s.detail}`);
  const head = h.timedOut ? `not healthy after ${h.waitedMs} ms` : 'unhealthy';
  return `${head} (${failing.join('; ') || 'no service ok'})`;
}
