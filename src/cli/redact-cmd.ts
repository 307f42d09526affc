import { createReadStream } from 'node:fs';
import * as fsp from 'node:fs/promises';
import type { Command } from 'commander';
import { buildRedactor, redactStream } from '../commands/redact.js';
import { loadPolicyFile } from '../config/load-policy.js';
import { loadCliConfig } from './context.js';
import type { CliIo } from './io.js';

interface RedactOptions {
  text?: boolean;
  policy?: string;
  stackSecrets?: boolean;
}

export function registerRedactCommand(program: Command, io: CliIo): void {
  program.command('redact [file]')
    .description('redact an env file (like redact_env.py) or, with --text, any text; reads stdin without a file')
    .option('--text', 'free text (logs, diffs) instead of an env file')
    .option('--policy <file>', 'policy.yaml with redaction rules (safe keys, patterns, marker)')
    .option('--no-stack-secrets', "do not treat the values in the stacks' .env files as known secrets")
    .action(async (file: string | undefined, opts: RedactOptions, cmd: Command) => {
      const { config } = await loadCliConfig(cmd, io);
      const policyPath = opts.policy ?? config.policyFile;
      const policy = policyPath ? (await loadPolicyFile(policyPath, io.cwd)).redaction : undefined;
      const redactor = await buildRedactor({
        ...(policy ? { policy } : {}),
        ...(opts.stackSecrets !== false ? { stacksRoot: config.stacksRoot, fs: fsp } : {}),
      });
      await redactStream({
        input: file ? createReadStream(file) : io.stdin,
        write: io.stdoutAsync,
        mode: opts.text ? 'text' : 'env',
        redactor,
        ...(policy ? { policy } : {}),
      });
    });
}
