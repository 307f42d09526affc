import type { Diagnostic } from '../intent/yaml-source.js';
import { parseCidr, parseListen, parseTrustedProxy } from './network.js';
import type { Checked } from './network.js';

/** Settings the environment may override; each wins over oresi.yaml. */
export interface EnvOverrides {
  stacksRoot?: string;
  intentsDir?: string;
  dataDir?: string;
  dialect?: 'auto' | 'v1' | 'v2';
  listen?: string;
  trustedProxies?: string[];
  ipAllowlist?: string[];
}

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads the ORESI_* overrides. An empty variable counts as unset (as compose and most shells
 * treat it); a bad value is an error naming the variable.
 */
export function readEnvOverrides(env: Env): { overrides: EnvOverrides; errors: Diagnostic[] } {
  const overrides: EnvOverrides = {};
  const errors: Diagnostic[] = [];
  const get = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const fail = (name: string, message: string): void => {
    errors.push({ file: 'env', line: 0, col: 0, path: name, message });
  };

  const paths = { ORESI_STACKS_ROOT: 'stacksRoot', ORESI_INTENTS_DIR: 'intentsDir', ORESI_DATA_DIR: 'dataDir' } as const;
  for (const [name, key] of Object.entries(paths)) {
    const v = get(name);
    if (v !== undefined) overrides[key] = v;
  }
  const dialect = get('ORESI_COMPOSE');
  if (dialect !== undefined) {
    if (dialect === 'auto' || dialect === 'v1' || dialect === 'v2') overrides.dialect = dialect;
    else fail('ORESI_COMPOSE', `must be one of auto, v1, v2 (got "${dialect}")`);
  }
  const listen = get('ORESI_LISTEN');
  if (listen !== undefined) {
    const r = parseListen(listen);
    if (r.ok) overrides.listen = listen;
    else fail('ORESI_LISTEN', r.message);
  }
  const lists = [
    ['ORESI_TRUSTED_PROXIES', 'trustedProxies', parseTrustedProxy],
    ['ORESI_IP_ALLOWLIST', 'ipAllowlist', parseCidr],
  ] as const;
  for (const [name, key, parse] of lists) {
    const v = get(name);
    if (v === undefined) continue;
    const parsed = parseList(v, parse);
    if (parsed.ok) overrides[key] = parsed.value;
    else fail(name, parsed.message);
  }
  return { overrides, errors };
}

function parseList(text: string, parse: (s: string) => Checked<string>): Checked<string[]> {
  const out: string[] = [];
  for (const item of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const r = parse(item);
    if (!r.ok) return r;
    out.push(r.value);
  }
  return { ok: true, value: out };
}
