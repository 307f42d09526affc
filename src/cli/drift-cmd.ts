import type { Command } from 'commander';
import { closeApp } from '../app.js';
import { probeStacks } from '../commands/drift.js';
import { driftExitCode, formatFindings, toDriftJson } from '../docker/drift-format.js';
import { cliCaller, openApp } from './context.js';
import { CliExit } from './exit.js';
import { printJson, type CliIo } from './io.js';
import { globalOptions } from './program.js';

export function registerDriftCommand(program: Command, io: CliIo): void {
  program.command('drift')
    .description('compare what runs with the compose files; exit 0 clean, 1 drift, 2 could not check')
    .option('--stack <name>', 'only this stack')
    .action(async (opts: { stack?: string }, cmd: Command) => {
      const ctx = await openApp(cmd, io, 'read');
      try {
        const report = await probeStacks(ctx, cliCaller(io), opts.stack !== undefined ? { stack: opts.stack } : {});
        if (globalOptions(cmd).json) printJson(io, toDriftJson(report));
        else io.stdout(formatFindings(report) + '\n');
        const code = driftExitCode(report);
        if (code !== 0) throw new CliExit(code);
      } finally {
        await closeApp(ctx);
      }
    });
}
