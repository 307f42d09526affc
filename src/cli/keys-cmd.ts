import type { Command } from 'commander';
import { generateApiKey, hashApiKey } from '../http/api-keys.js';
import { isValidName } from '../intent/names.js';
import { CliExit, EXIT_USAGE } from './exit.js';
import { printJson, type CliIo } from './io.js';
import { globalOptions } from './options.js';

export function registerKeyCommands(program: Command, io: CliIo): void {
  const keys = program.command('keys').description('API keys');
  keys.command('new <principal>')
    .description('make a new API key: prints the key once and the config line holding only its SHA-256')
    .option('--id <label>', 'a label for logs and audit')
    .option('--expires <date>', 'ISO date after which the key is refused')
    .action((principal: string, opts: { id?: string; expires?: string }, cmd: Command) => {
      if (!isValidName(principal)) throw new CliExit(EXIT_USAGE, 'oresi: principal names match ^[a-z0-9][a-z0-9_.-]{0,62}$');
      if (opts.expires && Number.isNaN(Date.parse(opts.expires))) throw new CliExit(EXIT_USAGE, 'oresi: --expires must be an ISO date such as 2027-01-31');
      const key = generateApiKey();
      const entry = { id: opts.id ?? `${principal}-${new Date().toISOString().slice(0, 10)}`, sha256: hashApiKey(key), ...(opts.expires ? { expires: opts.expires } : {}) };
      if (globalOptions(cmd).json) return printJson(io, { principal, key, entry });
      io.stdout(`${key}\n`);
      io.stderr([
        '',
        `This key is shown once. Give it to ${principal}; oresi stores only its SHA-256.`,
        'Add this to oresi.yaml:',
        '',
        'principals:',
        `  - name: ${principal}`,
        '    roles: [<role>]',
        '    keys:',
        `      - id: ${entry.id}`,
        `        sha256: ${entry.sha256}`,
        ...(entry.expires ? [`        expires: ${entry.expires}`] : []),
        '',
      ].join('\n'));
    });
}
