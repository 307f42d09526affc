import type { Command } from 'commander';
import { createApp, type AppMode } from '../app.js';
import type { AppContext } from '../commands/types.js';
import type { Caller } from '../model.js';
import { loadConfig, locateConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { principalByName } from '../commands/principals.js';
import { createRealSys } from '../sys/real.js';
import { createStderrLogger } from '../sys/logger.js';
import type { CliIo } from './io.js';
import { globalOptions } from './options.js';

export async function loadCliConfig(cmd: Command, io: CliIo): Promise<{ config: Config; file: string | null }> {
  const file = await locateConfig({ flag: globalOptions(cmd).config, env: io.env, cwd: io.cwd });
  const config = await loadConfig({ path: file, env: io.env, cwd: io.cwd });
  return { config, file: file ?? null };
}

/** Builds the application for one CLI command. `read` mode does not open the audit store. */
export async function openApp(cmd: Command, io: CliIo, mode: AppMode): Promise<AppContext> {
  const { config } = await loadCliConfig(cmd, io);
  const sys = createRealSys(io.env);
  return createApp({ config, sys, logger: createStderrLogger(io.stderr, io.env.ORESI_LOG_LEVEL), mode });
}

/**
 * Who the CLI acts as. A login mapped in `cli.users` is that configured principal, with its
 * roles — so the two-person rule sees the same person whether they use a key or a shell. An
 * unmapped login is the local operator, `cli:<login>`, with admin rights: whoever can run the CLI
 * can already read the config and the Docker socket.
 */
export function cliCaller(io: CliIo, config: Config): Caller {
  const user = io.env.USER ?? io.env.LOGNAME ?? 'local';
  const mapped = Object.hasOwn(config.cli.users, user) ? config.cli.users[user] : undefined;
  if (mapped !== undefined) return { principal: principalByName(config, mapped, 'cli', `cli.users.${user}`), source: 'cli' };
  return {
    principal: { name: `cli:${user}`, roleNames: [], roles: [], via: 'cli', admin: true },
    source: 'cli',
  };
}

/** Parses repeated `--param k=v` options. */
export function collectParam(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new Error(`--param expects key=value, got ${JSON.stringify(value.slice(0, 64))}`);
  const key = value.slice(0, eq);
  if (Object.hasOwn(previous, key)) throw new Error(`--param ${key} given twice`);
  return { ...previous, [key]: value.slice(eq + 1) };
}
