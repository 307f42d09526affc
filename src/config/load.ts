import * as realFs from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { AppError } from '../errors.js';
import { diagnosticAt, formatDiagnostic, parseYamlWith } from '../intent/yaml-source.js';
import type { Diagnostic, PathSegment, SourceDoc } from '../intent/yaml-source.js';
import { readEnvOverrides } from './env-overrides.js';
import type { Env, EnvOverrides } from './env-overrides.js';
import { parseCidr, parseListen, parseTrustedProxy } from './network.js';
import type { Checked } from './network.js';
import { Config } from './schema.js';

export type ConfigFs = Pick<typeof realFs, 'readFile' | 'stat'>;

export const DEFAULT_CONFIG_FILE = 'oresi.yaml';

export interface LocateConfigOptions {
  /** The --config flag, if given. */
  flag?: string | undefined;
  env: Env;
  cwd: string;
  fs?: ConfigFs;
}

/**
 * Which config file to use: `--config` > `ORESI_CONFIG` > `./oresi.yaml`. A file named
 * explicitly must exist; with none named and no ./oresi.yaml, the defaults apply (undefined).
 */
export async function locateConfig(opts: LocateConfigOptions): Promise<string | undefined> {
  const fs = opts.fs ?? realFs;
  const named: [string, string | undefined][] = [['--config', opts.flag], ['ORESI_CONFIG', opts.env['ORESI_CONFIG']]];
  for (const [source, value] of named) {
    if (value === undefined || value === '') continue;
    const path = resolve(opts.cwd, value);
    if (!(await isFile(fs, path))) throw new AppError('E_CONFIG_INVALID', `config file ${path} (from ${source}) does not exist or is not a file; name an existing file with --config FILE or ORESI_CONFIG=FILE, or neither to use ./${DEFAULT_CONFIG_FILE} (or the defaults without one)`);
    return path;
  }
  const fallback = resolve(opts.cwd, DEFAULT_CONFIG_FILE);
  return (await isFile(fs, fallback)) ? fallback : undefined;
}

async function isFile(fs: ConfigFs, path: string): Promise<boolean> {
  try {
    return (await fs.stat(path)).isFile();
  } catch {
    return false;
  }
}

export interface LoadConfigOptions {
  /** The config file (see locateConfig); undefined means defaults with no file. */
  path?: string | undefined;
  /** The file's text, when already read (tests, `oresi validate -`). */
  text?: string;
  env: Env;
  /** Relative env paths, and relative paths without a config file, resolve against this. */
  cwd: string;
  fs?: ConfigFs;
}

/**
 * oresi.yaml → validated Config, or E_CONFIG_INVALID listing every `file:line:col path: reason`
 * (environment problems as `env VARIABLE: reason`). Paths come back absolute: file paths relative
 * to the file's folder, env paths relative to cwd.
 */
export async function loadConfig(opts: LoadConfigOptions): Promise<Config> {
  const file = opts.path === undefined ? undefined : resolve(opts.cwd, opts.path);
  const text = opts.text ?? (file === undefined ? undefined : await readConfigText(opts.fs ?? realFs, file));
  const errors: Diagnostic[] = [];

  let config: Config = Config.parse({});
  let doc: SourceDoc | undefined;
  if (text !== undefined) {
    const parsed = parseYamlWith(Config, text, file ?? DEFAULT_CONFIG_FILE);
    if (parsed.ok) {
      config = parsed.value.value;
      doc = parsed.value.doc;
    } else {
      errors.push(...parsed.errors);
    }
  }
  if (errors.length === 0) {
    const checked = checkNetwork(config, (path, message) =>
      doc ? diagnosticAt(doc, path, message) : { file: file ?? '<defaults>', line: 1, col: 1, path: path.join('.'), message });
    errors.push(...checked.errors);
    config = checked.config;
  }
  const env = readEnvOverrides(opts.env);
  errors.push(...env.errors);
  if (errors.length > 0) {
    throw new AppError('E_CONFIG_INVALID', `invalid configuration:\n${errors.map((d) => `  ${formatDiagnostic(d)}`).join('\n')}`, { diagnostics: errors });
  }
  return applyOverrides(config, env.overrides, file === undefined ? opts.cwd : dirname(file), opts.cwd);
}

async function readConfigText(fs: ConfigFs, file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new AppError('E_CONFIG_INVALID', `cannot read config file ${file}: ${(err as Error).message}`);
  }
}

type At = (path: PathSegment[], message: string) => Diagnostic;

/** Validates every CIDR and the listen address, returning the config with CIDRs in normal form. */
function checkNetwork(config: Config, at: At): { config: Config; errors: Diagnostic[] } {
  const errors: Diagnostic[] = [];
  const list = (values: string[], path: PathSegment[], parse: (s: string) => Checked<string>): string[] =>
    values.map((v, i) => {
      const r = parse(v);
      if (r.ok) return r.value;
      errors.push(at([...path, i], r.message));
      return v;
    });
  const listen = parseListen(config.server.listen);
  if (!listen.ok) errors.push(at(['server', 'listen'], listen.message));
  const server = {
    ...config.server,
    trustedProxies: list(config.server.trustedProxies, ['server', 'trustedProxies'], parseTrustedProxy),
    ipAllowlist: list(config.server.ipAllowlist, ['server', 'ipAllowlist'], parseCidr),
  };
  const principals = config.principals.map((p, i) =>
    p.ipAllowlist === undefined ? p : { ...p, ipAllowlist: list(p.ipAllowlist, ['principals', i, 'ipAllowlist'], parseCidr) });
  return { config: { ...config, server, principals }, errors };
}

function applyOverrides(config: Config, o: EnvOverrides, fileBase: string, cwd: string): Config {
  const path = (fromEnv: string | undefined, fromFile: string): string =>
    fromEnv !== undefined ? resolve(cwd, fromEnv) : isAbsolute(fromFile) ? fromFile : resolve(fileBase, fromFile);
  return {
    ...config,
    stacksRoot: path(o.stacksRoot, config.stacksRoot),
    intentsDir: path(o.intentsDir, config.intentsDir),
    dataDir: path(o.dataDir, config.dataDir),
    ...(config.policyFile !== undefined ? { policyFile: path(undefined, config.policyFile) } : {}),
    ...(config.gitops?.repoDir !== undefined ? { gitops: { ...config.gitops, repoDir: path(undefined, config.gitops.repoDir) } } : {}),
    compose: { ...config.compose, dialect: o.dialect ?? config.compose.dialect },
    server: {
      ...config.server,
      listen: o.listen ?? config.server.listen,
      trustedProxies: o.trustedProxies ?? config.server.trustedProxies,
      ipAllowlist: o.ipAllowlist ?? config.server.ipAllowlist,
    },
  };
}
