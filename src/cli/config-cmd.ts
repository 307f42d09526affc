import type { Command } from 'commander';
import { closeApp } from '../app.js';
import { configJsonSchema } from '../config/json-schema.js';
import { AppError } from '../errors.js';
import { loadCliConfig, openApp } from './context.js';
import { CliExit, EXIT_BAD } from './exit.js';
import { printJson, printLines, type CliIo } from './io.js';
import { globalOptions } from './options.js';

export function registerConfigCommands(program: Command, io: CliIo): void {
  const config = program.command('config').description('check and describe oresi.yaml');

  config.command('check')
    .description('load the config, intents and stacks as the server would; exit 1 when anything is wrong')
    .action(async (_o, cmd: Command) => {
      try {
        const { file } = await loadCliConfig(cmd, io);
        const ctx = await openApp(cmd, io, 'read');
        await ctx.stacks.refresh(0);
        const summary = {
          config: file,
          stacksRoot: ctx.config.stacksRoot,
          stacks: ctx.stacks.list().map((s) => s.name),
          stackProblems: ctx.stacks.problems(),
          intents: ctx.catalog.list().map((i) => i.intent.name),
          compose: ctx.dialect,
        };
        await closeApp(ctx);
        if (globalOptions(cmd).json) printJson(io, { ok: summary.stackProblems.length === 0, ...summary });
        else {
          printLines(io, [
            `config:  ${file ?? '(none; built-in defaults)'}`,
            `stacks:  ${summary.stacks.length} in ${summary.stacksRoot}${summary.stacks.length ? ` (${summary.stacks.join(', ')})` : ''}`,
            `intents: ${summary.intents.length}`,
            `compose: ${summary.compose ?? 'not found (plans work; runs will fail)'}`,
            ...summary.stackProblems.map((p) => `problem: stack ${p.name}: ${p.reason}`),
          ]);
        }
        if (summary.stackProblems.length > 0) throw new CliExit(EXIT_BAD);
      } catch (err) {
        if (err instanceof AppError && (err.code === 'E_CONFIG_INVALID' || err.code === 'E_INTENT_INVALID')) {
          throw new CliExit(EXIT_BAD, `oresi: ${err.code}: ${err.message}`);
        }
        throw err;
      }
    });

  config.command('schema').description('print the JSON Schema of oresi.yaml').action(() => {
    printJson(io, configJsonSchema());
  });
}
