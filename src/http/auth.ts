import type { IncomingHttpHeaders } from 'node:http';
import type { Config } from '../config/schema.js';
import { resolveRoles } from '../commands/principals.js';
import type { Principal } from '../model.js';
import { AppError } from '../errors.js';
import { hashApiKey, matchApiKey, type KeyFailure, type StoredKey } from './api-keys.js';
import { createAddressSet, type AddressSet } from './client-ip.js';

export interface KeyOwner {
  principal: Principal;
  /** Per-principal client-IP allowlist, or null for any address. */
  ipAllowlist: AddressSet | null;
}

export type AuthResult = { ok: true; owner: KeyOwner } | { ok: false; reason: KeyFailure };

export interface Authenticator {
  authenticate(headers: IncomingHttpHeaders, now: number): AuthResult;
  /** Number of usable keys (config + env + demo); zero means nobody can call the API. */
  readonly keyCount: number;
}

/** The zero-config admin keys; CHATOPS_API_KEY is what the original service read. */
export const ENV_KEY_NAMES = ['ORESI_API_KEY', 'CHATOPS_API_KEY'] as const;
export const MIN_ENV_KEY_LENGTH = 24;

/**
 * The presented key: `Authorization: Bearer <key>` or `X-API-Key`. Nothing is trimmed, so a key
 * pasted with a trailing newline is a different (wrong) key rather than silently accepted.
 */
export function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const bearer = /^bearer +([^]*)$/i.exec(auth);
    if (bearer) return bearer[1];
  }
  const header = headers['x-api-key'];
  return typeof header === 'string' ? header : undefined;
}

function expiryOf(expires: string | undefined): number | null {
  if (expires === undefined) return null;
  // A bare date (2026-01-31) is read as midnight UTC at its start: the key is refused that day.
  const at = Date.parse(expires);
  return Number.isNaN(at) ? 0 : at;
}

function envAdmin(keyId: string, key: string, label = keyId): StoredKey<KeyOwner> {
  if (key.length < MIN_ENV_KEY_LENGTH) {
    throw new AppError('E_CONFIG_INVALID', `${label} is too short (${key.length} characters); use a random key of at least ${MIN_ENV_KEY_LENGTH} characters, e.g. from \`oresi keys new\``);
  }
  const principal: Principal = { name: 'admin', roleNames: [], roles: [], via: 'env-key', keyId, admin: true };
  return { digest: Buffer.from(hashApiKey(key), 'hex'), expiresAt: null, revoked: false, owner: { principal, ipAllowlist: null } };
}

/**
 * Builds the key table once, at start-up. Every problem (unknown role, short env key, the same
 * key hash twice) stops the server with a message naming the setting.
 */
export function createAuthenticator(config: Config, env: Readonly<Record<string, string | undefined>>, demoKey?: string): Authenticator {
  const keys: StoredKey<KeyOwner>[] = [];
  const seen = new Map<string, string>();
  const add = (key: StoredKey<KeyOwner>, where: string) => {
    const hex = key.digest.toString('hex');
    const other = seen.get(hex);
    if (other) throw new AppError('E_CONFIG_INVALID', `${where} is the same key as ${other}; each key must identify one principal`);
    seen.set(hex, where);
    keys.push(key);
  };
  config.principals.forEach((p, i) => {
    const where = `principals[${i}]`;
    const roles = resolveRoles(config, p.name, p.roles, where);
    const ipAllowlist = p.ipAllowlist ? createAddressSet(p.ipAllowlist, `${where}.ipAllowlist`) : null;
    p.keys.forEach((k, j) => {
      const principal: Principal = { name: p.name, roleNames: [...p.roles], roles, via: 'api-key', keyId: k.id ?? `${p.name}#${j}` };
      add({ digest: Buffer.from(k.sha256, 'hex'), expiresAt: expiryOf(k.expires), revoked: k.revoked, owner: { principal, ipAllowlist } }, `${where}.keys[${j}]`);
    });
  });
  for (const name of ENV_KEY_NAMES) {
    const value = env[name];
    if (value) add(envAdmin(name, value), `the ${name} environment variable`);
  }
  if (demoKey !== undefined) add(envAdmin('demo', demoKey, 'the demo key'), 'the demo key');
  return {
    keyCount: keys.length,
    authenticate(headers, now) {
      const match = matchApiKey(keys, presentedKey(headers), now);
      return match.ok ? { ok: true, owner: match.key.owner } : match;
    },
  };
}
