import { join } from 'node:path';
import { isKeptValue, parseEnvEntries } from '../policy/env-file-parse.js';
import type { RedactionPolicy } from '../policy/policy-schema.js';
import { AppError } from '../errors.js';
import type { Sys } from '../sys/sys.js';

/**
 * Known secret values for exact-match redaction: every value in `<root>/<stack>/.env` and
 * `<root>/global.env`, except the values redact_env.py would show (safe keys, booleans, empty)
 * and values shorter than minSecretLength. A multi-line value is added whole and line by line
 * (a log may print one line of it); a double-quoted value with escapes is added as written and
 * unescaped. A missing file is skipped (a stack without .env has no secrets); an unreadable one
 * stops start-up, because its secrets would otherwise leak unredacted.
 */
export interface CollectStackSecretsOptions {
  stacksRoot: string;
  fs: Sys['fs'];
  policy: { redaction: RedactionPolicy };
}

export async function collectStackSecrets({ stacksRoot, fs, policy }: CollectStackSecretsOptions): Promise<string[]> {
  const rules = policy.redaction;
  if (!rules.useStackEnvSecrets) return [];
  const files = [join(stacksRoot, 'global.env')];
  for (const dir of await listDirectories(fs, stacksRoot)) files.push(join(stacksRoot, dir, '.env'));
  const secrets = new Set<string>();
  for (const file of files) {
    const text = await readIfPresent(fs, file);
    if (text === undefined) continue;
    for (const { key, value } of parseEnvEntries(text)) {
      if (isKeptValue(key, value, rules)) continue;
      for (const candidate of variantsOf(value)) if (candidate.length >= rules.minSecretLength) secrets.add(candidate);
    }
  }
  return [...secrets];
}

function variantsOf(value: string): string[] {
  const out = [value];
  const unescaped = value.replace(/\\([\\"nrt$])/g, (_m, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
  if (unescaped !== value) out.push(unescaped);
  if (value.includes('\n')) for (const line of value.split('\n')) out.push(line.trim());
  return out;
}

async function listDirectories(fs: Sys['fs'], root: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(root, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch (err) {
    if (isMissing(err)) return [];
    throw err;
  }
}

async function readIfPresent(fs: Sys['fs'], file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if (isMissing(err)) return undefined;
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new AppError('E_CONFIG_INVALID', `${file}: cannot read it to learn its secrets (${code})`);
  }
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
