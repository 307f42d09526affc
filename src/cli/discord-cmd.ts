import type { Command } from 'commander';
import { loadCliConfig } from './context.js';
import { CliExit, EXIT_BAD } from './exit.js';
import { printJson, type CliIo } from './io.js';
import { globalOptions } from './options.js';
import { loadIntentCatalog } from '../config/load-intents.js';
import { AppError } from '../errors.js';
import { createRealSys } from '../sys/real.js';
import { buildDiscordCommand, MAX_CHOICES } from '../chat/discord-commands.js';
import { putDiscordCommands } from '../chat/discord-register.js';
import { chatConfigOf } from '../chat/routes.js';

interface RegisterOptions { dryRun?: boolean; guild?: string }

/**
 * `oresi discord register`: replaces the application's commands with `/oresi` and the current
 * intents as choices. Global commands can take a while to reach every guild; `--guild` is instant.
 */
export function registerDiscordCommand(program: Command, io: CliIo): void {
  const discord = program.command('discord').description('Discord application set-up');
  discord.command('register')
    .description('create or replace the /oresi slash command with the current intents')
    .option('--dry-run', 'print the command JSON; send nothing')
    .option('--guild <id>', 'register in this guild only (appears immediately)')
    .action(async (opts: RegisterOptions, cmd: Command) => {
      const { config } = await loadCliConfig(cmd, io);
      const cfg = chatConfigOf(config).discord;
      if (!cfg) throw new AppError('E_CONFIG_INVALID', 'no chat.discord section in the config; see docs/chat.md');
      const catalog = await loadIntentCatalog({ dir: config.intentsDir, stacksRoot: config.stacksRoot });
      const names = catalog.list().map((li) => li.intent.name);
      if (opts.dryRun) return printJson(io, [buildDiscordCommand(names)]);
      if (!cfg.applicationId) throw new AppError('E_CONFIG_INVALID', 'chat.discord.applicationId is not set (Developer Portal → General Information → Application ID)');
      if (opts.guild !== undefined && !/^[0-9]{1,25}$/.test(opts.guild)) throw new AppError('E_BAD_REQUEST', '--guild expects a Discord guild id (digits)');
      const botToken = io.env[cfg.botTokenEnv];
      if (!botToken) throw new AppError('E_CONFIG_INVALID', `the ${cfg.botTokenEnv} environment variable (the bot token) is not set`);
      const out = await putDiscordCommands({
        fetch: createRealSys(io.env).fetch, apiUrl: cfg.apiUrl, applicationId: cfg.applicationId, botToken, intentNames: names,
        ...(opts.guild ? { guildId: opts.guild } : {}),
      });
      if (!out.ok) throw new CliExit(EXIT_BAD, `oresi: Discord refused the commands (HTTP ${out.status}): ${out.message}`);
      if (globalOptions(cmd).json) return printJson(io, { ...out, applicationId: cfg.applicationId, intents: names.length });
      const choices = names.length <= MAX_CHOICES ? `${names.length} intent choices` : `more than ${MAX_CHOICES} intents, so the intent is typed freely`;
      io.stdout(`registered /oresi (${out.subcommands} subcommands, ${choices}) for application ${cfg.applicationId}${opts.guild ? ` in guild ${opts.guild}` : ''}\n`);
    });
}
