import { Option, type Command } from 'commander';
import { Registry } from 'prom-client';
import { closeApp } from '../app.js';
import { openApp } from './context.js';
import { printJson, type CliIo } from './io.js';
import { collectAppMetrics } from '../metrics/app-metrics.js';
import { registerHostMetrics } from '../metrics/prom-gauges.js';

/** `oresi metrics`: the original collect_metrics.sh JSON (extended), or Prometheus text. */
export function registerMetricsCommand(program: Command, io: CliIo): void {
  program.command('metrics')
    .description('host, engine and Uptime Kuma metrics: JSON (collect_metrics.sh keys first) or Prometheus text')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'prom']).default('json'))
    .action(async (opts: { format: 'json' | 'prom' }, cmd: Command) => {
      const ctx = await openApp(cmd, io, 'read');
      try {
        const metrics = await collectAppMetrics(ctx);
        if (opts.format === 'json') {
          printJson(io, metrics);
          return;
        }
        const registry = new Registry();
        registerHostMetrics(registry, async () => metrics, { now: ctx.sys.monotonic, cacheMs: 0 });
        io.stdout(await registry.metrics());
      } finally {
        await closeApp(ctx);
      }
    });
}
