import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Keys are `oresi_` + 32 random bytes (base64url): 256 bits, far beyond guessing. */
export function generateApiKey(bytes: (n: number) => Buffer = randomBytes): string {
  return `oresi_${bytes(32).toString('base64url')}`;
}

/** What the config stores: lowercase hex SHA-256 of the exact key bytes (UTF-8). */
export function hashApiKey(key: string): string {
  return hash('sha256', key, 'hex');
}

export interface StoredKey<T> {
  /** 32-byte SHA-256 digest. */
  digest: Buffer;
  /** Epoch ms from which the key is refused, or null. */
  expiresAt: number | null;
  revoked: boolean;
  owner: T;
}

export type KeyFailure = 'missing' | 'malformed' | 'unknown' | 'expired' | 'revoked';
export type KeyMatch<T> = { ok: true; key: StoredKey<T> } | { ok: false; reason: KeyFailure };

/** Longest key we bother hashing; real keys are 49 characters. */
export const MAX_KEY_LENGTH = 512;

/**
 * Finds the stored key equal to `presented`. Digests are fixed 32-byte values compared with
 * timingSafeEqual, and every stored key is compared (no early exit), so the time taken says
 * nothing about which key or principal came close.
 */
export function matchApiKey<T>(keys: readonly StoredKey<T>[], presented: string | undefined, now: number): KeyMatch<T> {
  if (presented === undefined || presented === '') return { ok: false, reason: 'missing' };
  if (presented.length > MAX_KEY_LENGTH) return { ok: false, reason: 'malformed' };
  const digest = hash('sha256', presented, 'buffer');
  let found: StoredKey<T> | undefined;
  for (const key of keys) {
    if (timingSafeEqual(digest, key.digest) && found === undefined) found = key;
  }
  if (!found) return { ok: false, reason: 'unknown' };
  if (found.revoked) return { ok: false, reason: 'revoked' };
  if (found.expiresAt !== null && now >= found.expiresAt) return { ok: false, reason: 'expired' };
  return { ok: true, key: found };
}
