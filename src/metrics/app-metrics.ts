import type { Registry } from 'prom-client';
import type { AppContext } from '../commands/types.js';
import { collectHostMetrics, type HostMetrics, type HostOs } from './host-metrics.js';
import { type MetricsConfig } from '../config/metrics-schema.js';
import { registerHostMetrics } from './prom-gauges.js';

/** Host metrics for a built app; stack names are those on disk as last refreshed. */
export async function collectAppMetrics(ctx: AppContext, metrics: MetricsConfig = ctx.config.metrics, os?: HostOs): Promise<HostMetrics> {
  await ctx.stacks.refresh();
  const m = await collectHostMetrics({ sys: ctx.sys, engine: ctx.engine, stacks: ctx.stacks, config: { dataDir: ctx.config.dataDir, metrics }, ...(os ? { os } : {}) });
  return ctx.redactor.redactValue(m);
}

/** For server.ts: `registerAppHostMetrics(metrics.registry, ctx)` after createMetrics. */
export function registerAppHostMetrics(registry: Registry, ctx: AppContext, metrics: MetricsConfig = ctx.config.metrics): void {
  registerHostMetrics(registry, () => collectAppMetrics(ctx, metrics), { now: ctx.sys.monotonic, cacheMs: metrics.cacheSeconds * 1000 });
}
