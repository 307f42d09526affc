import type { Command } from 'commander';
import { listIntents } from '../commands/intents.js';
import { readIntentFiles } from '../config/load-intents.js';
import { buildCatalog } from '../intent/catalog.js';
import { formatDiagnostic } from '../intent/yaml-source.js';
import { intentJsonSchema } from '../intent/json-schema.js';
import { cliCaller, loadCliConfig, openApp } from './context.js';
import { CliExit, EXIT_BAD } from './exit.js';
import { formatTable, printJson, printLines, type CliIo } from './io.js';
import { globalOptions } from './options.js';

export function registerIntentCommands(program: Command, io: CliIo): void {
  const intents = program.command('intents').description('list, validate and describe intents');

  intents.command('list').description('the intents this server can run').action(async (_o, cmd: Command) => {
    const ctx = await openApp(cmd, io, 'read');
    const list = listIntents(ctx, cliCaller(io, ctx.config));
    if (globalOptions(cmd).json) return printJson(io, list);
    printLines(io, formatTable([
      ['NAME', 'STACK', 'ACTIONS', 'DESCRIPTION'],
      ...list.map((i) => [i.name, i.stack, i.actions.join(','), (i.deprecated ? '[original format] ' : '') + (i.description ?? '')]),
    ]));
  });

  intents.command('validate').description('check every intent file; exit 1 when any is invalid').action(async (_o, cmd: Command) => {
    const { config } = await loadCliConfig(cmd, io);
    const result = buildCatalog(await readIntentFiles(config.intentsDir), { stacksRoot: config.stacksRoot });
    if (globalOptions(cmd).json) {
      printJson(io, result.ok
        ? { valid: true, intents: result.value.list().map((i) => ({ name: i.intent.name, file: i.file, deprecated: i.deprecated ?? null })) }
        : { valid: false, errors: result.errors });
    } else if (result.ok) {
      for (const li of result.value.list()) if (li.deprecated) io.stderr(`warning: ${li.file}: ${li.deprecated}\n`);
      io.stdout(`${result.value.list().length} intent(s) valid in ${config.intentsDir}\n`);
    } else {
      printLines(io, result.errors.map(formatDiagnostic));
    }
    if (!result.ok) throw new CliExit(EXIT_BAD);
  });

  intents.command('schema').description('print the JSON Schema of intent files (for editors)').action(() => {
    printJson(io, intentJsonSchema());
  });
}
