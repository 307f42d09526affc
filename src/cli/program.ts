import { Command, Option } from 'commander';
import { registerAuditCommands } from './audit-cmd.js';
import { registerConfigCommands } from './config-cmd.js';
import { registerDriftCommand } from './drift-cmd.js';
import { registerIntentCommands } from './intents-cmd.js';
import type { CliIo } from './io.js';
import { registerKeyCommands } from './keys-cmd.js';
import { registerRedactCommand } from './redact-cmd.js';
import { registerReviewCommands } from './review-cmd.js';
import { registerMetricsCommand } from './metrics-cmd.js';
import { registerDiscordCommand } from './discord-cmd.js';
import { registerRolloutCommands } from './rollout-cmd.js';
import { registerPolicyCommands } from './policy-cmd.js';
import { registerRunCommands } from './run-cmd.js';
import { registerServeCommand } from './serve-cmd.js';
import { VERSION } from '../version.js';

/** Builds the whole command tree; nothing runs until parseAsync. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('oresi')
    .description('GitOps ChatOps control plane for Docker Compose homelabs: runs only allowlisted intents, audited.')
    .version(VERSION)
    .addOption(new Option('-c, --config <file>', 'oresi.yaml to use (else $ORESI_CONFIG, else ./oresi.yaml)'))
    .option('--json', 'print machine-readable JSON')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  registerIntentCommands(program, io);
  registerRunCommands(program, io);
  registerRolloutCommands(program, io);
  registerConfigCommands(program, io);
  registerPolicyCommands(program, io);
  registerServeCommand(program, io);
  registerKeyCommands(program, io);
  registerAuditCommands(program, io);
  registerRedactCommand(program, io);
  registerDriftCommand(program, io);
  registerReviewCommands(program, io);
  registerMetricsCommand(program, io);
  registerDiscordCommand(program, io);
  for (const cmd of program.commands) cmd.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  return program;
}
