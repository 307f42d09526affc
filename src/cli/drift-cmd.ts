import type { Command } from 'commander';
import { closeApp } from '../app.js';
import { probeStacks } from '../commands/drift.js';
import { driftExitCode, formatFindings, toDriftJson } from '../docker/drift-format.js';
import { cliCaller, openApp } from './context.js';
import { CliExit } from './exit.js';
import { printJson, type CliIo } from './io.js';
import { globalOptions } from './options.js';

interface DriftFlags {
  stack?: string;
  /** commander's --no-alert: false when given. */
  alert: boolean;
}

export function registerDriftCommand(program: Command, io: CliIo): void {
  program.command('drift')
    .description('compare what runs with the compose files and alert on drift; exit 0 clean, 1 drift, 2 could not check')
    .option('--stack <name>', 'only this stack')
    .option('--no-alert', 'only look: send no alerts (and open no audit store)')
    .action(async (opts: DriftFlags, cmd: Command) => {
      // Alerts need the full app: its notifier has the configured sinks and audits deliveries.
      const ctx = await openApp(cmd, io, opts.alert ? 'full' : 'read');
      try {
        const report = await probeStacks(ctx, cliCaller(io, ctx.config), opts.stack !== undefined ? { stack: opts.stack } : {});
        if (globalOptions(cmd).json) printJson(io, toDriftJson(report));
        else io.stdout(formatFindings(report) + '\n');
        const code = driftExitCode(report);
        if (code !== 0) throw new CliExit(code);
      } finally {
        // Delivers the queued alerts (bounded) before the process ends.
        await closeApp(ctx);
      }
    });
}
