import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppError } from '../errors.js';
import { DEFAULT_CONFIG_FILE } from '../config/load.js';
import type { Env } from '../config/env-overrides.js';

/** The path settings whose absence stops a command, and the variable that overrides each. */
const SETTINGS = {
  stacksRoot: { env: 'ORESI_STACKS_ROOT', fallback: '/opt/stacks' },
  intentsDir: { env: 'ORESI_INTENTS_DIR', fallback: './intents' },
} as const;

export type PathSetting = keyof typeof SETTINGS;

/** What an error about a missing folder carries, so the CLI can say where the path came from. */
export interface SettingDetails { setting: PathSetting; path: string }

export function isSettingDetails(d: unknown): d is SettingDetails {
  const s = (d as { setting?: unknown } | null)?.setting;
  return typeof s === 'string' && Object.hasOwn(SETTINGS, s);
}

export interface ConfigLookup { flag: string | undefined; env: Env; cwd: string }

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/** The file that would have been read: --config, ORESI_CONFIG, ./oresi.yaml (see locateConfig). */
async function configFile(l: ConfigLookup): Promise<{ file: string; source: string } | undefined> {
  if (l.flag) return { file: resolve(l.cwd, l.flag), source: '--config' };
  const fromEnv = l.env['ORESI_CONFIG'];
  if (fromEnv) return { file: resolve(l.cwd, fromEnv), source: 'ORESI_CONFIG' };
  const fallback = resolve(l.cwd, DEFAULT_CONFIG_FILE);
  return (await exists(fallback)) ? { file: fallback, source: `./${DEFAULT_CONFIG_FILE}` } : undefined;
}

/**
 * One paragraph saying which file, flag or variable set `setting`, and how to point oresi
 * elsewhere. A clone has no ./oresi.yaml, so there the example config is named.
 */
export async function explainSetting(setting: PathSetting, l: ConfigLookup): Promise<string> {
  const { env: variable, fallback } = SETTINGS[setting];
  const elsewhere = `point oresi elsewhere with --config FILE or ORESI_CONFIG=FILE (relative paths in it resolve against its folder), or set ${variable}`;
  const example = (await exists(join(l.cwd, 'examples', DEFAULT_CONFIG_FILE))) ? '; in a clone of oresi: --config examples/oresi.yaml' : '';
  if (l.env[variable]) return `${setting} was set by ${variable}=${l.env[variable]}; unset it or ${elsewhere}${example}.`;
  const found = await configFile(l);
  if (!found) {
    return `${setting} is the default ${fallback} because no config file was found (no --config, ORESI_CONFIG unset, ` +
      `no ${DEFAULT_CONFIG_FILE} in ${l.cwd}); ${elsewhere}${example}.`;
  }
  const text = await readFile(found.file, 'utf8').catch(() => '');
  const how = new RegExp(`^${setting}\\s*:`, 'm').test(text) ? `was set in ${found.file}` : `is the default ${fallback} (not set in ${found.file})`;
  return `${setting} ${how}, the config file chosen by ${found.source}; edit it or ${elsewhere}${example}.`;
}

/** The error with where its setting came from appended; other errors unchanged. */
export async function withSettingOrigin(err: unknown, l: ConfigLookup): Promise<unknown> {
  if (!(err instanceof AppError) || !isSettingDetails(err.details)) return err;
  return new AppError(err.code, `${err.message}\n  ${await explainSetting(err.details.setting, l)}`, err.details);
}
