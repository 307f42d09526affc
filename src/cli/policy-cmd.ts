import type { Command } from 'commander';
import { z } from 'zod';
import { loadPolicyFile, type PolicyFile } from '../config/load-policy.js';
import { AppError } from '../errors.js';
import { ReviewPolicyFile } from '../review/review-policy-schema.js';
import { loadCliConfig } from './context.js';
import { CliExit, EXIT_BAD, EXIT_USAGE } from './exit.js';
import { printJson, type CliIo } from './io.js';
import { globalOptions } from './options.js';

export function registerPolicyCommands(program: Command, io: CliIo): void {
  const policy = program.command('policy').description('policy.yaml: redaction, doc rules, review rubric and guardrails');

  policy.command('schema').description('print the JSON Schema of policy.yaml (for editors)').action(() => {
    printJson(io, { $id: 'https://oresi.dev/schema/policy.json', title: 'oresi policy.yaml', ...z.toJSONSchema(ReviewPolicyFile, { io: 'input', unrepresentable: 'any' }) });
  });

  policy.command('check [file]')
    .description('validate policy.yaml (default: policyFile from the config); exit 1 naming file:line:col')
    .action(async (file: string | undefined, _o, cmd: Command) => {
      const path = file ?? (await loadCliConfig(cmd, io)).config.policyFile;
      if (!path) throw new CliExit(EXIT_USAGE, 'oresi: no policy file given and none configured (policyFile in oresi.yaml)');
      let loaded: PolicyFile;
      try {
        loaded = await loadPolicyFile(path, io.cwd);
      } catch (err) {
        if (err instanceof AppError && err.code === 'E_CONFIG_INVALID') throw new CliExit(EXIT_BAD, `oresi: ${err.message}`);
        throw err;
      }
      if (globalOptions(cmd).json) printJson(io, { valid: true, policy: loaded });
      else io.stdout(`${path}: valid (${loaded.redaction.patterns.length} redaction pattern(s), ${loaded.docs.required.length} doc rule(s))\n`);
    });
}
