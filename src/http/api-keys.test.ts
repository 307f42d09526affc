import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateApiKey, hashApiKey, matchApiKey, type StoredKey } from './api-keys.js';

const stored = (key: string, extra: Partial<StoredKey<string>> = {}): StoredKey<string> =>
  ({ digest: Buffer.from(hashApiKey(key), 'hex'), expiresAt: null, revoked: false, owner: key, ...extra });

describe('generateApiKey / hashApiKey', () => {
  it('makes oresi_ + 43 base64url characters (32 bytes), different each time', () => {
    const a = generateApiKey();
    expect(a).toMatch(/^oresi_[A-Za-z0-9_-]{43}$/);
    expect(generateApiKey()).not.toBe(a);
    expect(generateApiKey(() => Buffer.alloc(32, 0))).toBe(`oresi_${'A'.repeat(43)}`);
  });

  it('hashes the exact UTF-8 bytes as lowercase hex SHA-256 (what `sha256sum` prints)', () => {
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashApiKey('abc\n')).not.toBe(hashApiKey('abc'));
  });
});

describe('matchApiKey', () => {
  const now = Date.UTC(2025, 5, 1);
  const keys = [stored('k-one'), stored('k-two', { revoked: true }), stored('k-three', { expiresAt: now }), stored('k-four', { expiresAt: now + 1 })];

  it.each([
    [undefined, 'missing'],
    ['', 'missing'],
    ['k-one ', 'unknown'],
    ['k-one\n', 'unknown'],
    ['K-ONE', 'unknown'],
    ['k-two', 'revoked'],
    ['k-three', 'expired'],
    ['x'.repeat(513), 'malformed'],
  ])('%j → %s', (presented, reason) => {
    expect(matchApiKey(keys, presented, now)).toEqual({ ok: false, reason });
  });

  it('finds the right owner, including keys after non-matching ones', () => {
    expect(matchApiKey(keys, 'k-one', now)).toMatchObject({ ok: true, key: { owner: 'k-one' } });
    expect(matchApiKey(keys, 'k-four', now)).toMatchObject({ ok: true, key: { owner: 'k-four' } });
  });

  it('property: only the exact key matches', () => {
    const key = generateApiKey();
    const table = [stored(key)];
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (s) => {
      fc.pre(s !== key);
      expect(matchApiKey(table, s, now).ok).toBe(false);
    }));
    expect(matchApiKey(table, key, now).ok).toBe(true);
    expect(createHash('sha256').update(key).digest().equals(table[0]!.digest)).toBe(true);
  });
});
