import { generateKeyPairSync, sign } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkTimestamp, discordPublicKey, signSlack, verifyDiscordSignature, verifySlackSignature } from './verify-signature.js';

const NOW = 1_700_000_000_000;
const TS = String(NOW / 1000);

function discordPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const hex = publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex');
  return { key: discordPublicKey(hex), sign: (ts: string, body: Buffer) => sign(null, Buffer.concat([Buffer.from(ts), body]), privateKey).toString('hex') };
}

describe('checkTimestamp', () => {
  it.each([
    [undefined, 'missing'], ['', 'malformed'], ['17e8', 'malformed'], [' 1700000000', 'malformed'], ['-5', 'malformed'],
    [String(NOW / 1000 - 301), 'stale'], [String(NOW / 1000 + 301), 'stale'],
  ])('%s → %s', (value, reason) => {
    expect(checkTimestamp(value, NOW, 300)).toEqual({ ok: false, reason });
  });
  it('accepts the edges of the window', () => {
    expect(checkTimestamp(String(NOW / 1000 - 300), NOW, 300).ok).toBe(true);
    expect(checkTimestamp(String(NOW / 1000 + 300), NOW, 300).ok).toBe(true);
  });
});

describe('verifyDiscordSignature', () => {
  const pair = discordPair();
  const body = Buffer.from('{"type":1}');

  it('accepts the signature over timestamp + raw body', () => {
    expect(verifyDiscordSignature(pair.key, { signature: pair.sign(TS, body), timestamp: TS }, body, NOW, 300)).toEqual({ ok: true });
  });

  it('refuses another key, another timestamp and a missing header', () => {
    const other = discordPair();
    expect(verifyDiscordSignature(pair.key, { signature: other.sign(TS, body), timestamp: TS }, body, NOW, 300)).toEqual({ ok: false, reason: 'mismatch' });
    const ts2 = String(NOW / 1000 - 1);
    expect(verifyDiscordSignature(pair.key, { signature: pair.sign(TS, body), timestamp: ts2 }, body, NOW, 300)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyDiscordSignature(pair.key, { signature: undefined, timestamp: TS }, body, NOW, 300)).toEqual({ ok: false, reason: 'missing' });
  });

  it('any change to the body breaks the signature', () => {
    const sig = pair.sign(TS, body);
    fc.assert(fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 }), (bytes) => {
      const other = Buffer.from(bytes);
      fc.pre(!other.equals(body));
      return !verifyDiscordSignature(pair.key, { signature: sig, timestamp: TS }, other, NOW, 300).ok;
    }), { numRuns: 200 });
  });

  it('never throws and never accepts arbitrary header values', () => {
    fc.assert(fc.property(fc.option(fc.string({ maxLength: 200 }), { nil: undefined }), fc.option(fc.string({ maxLength: 20 }), { nil: undefined }), (signature, timestamp) => {
      return !verifyDiscordSignature(pair.key, { signature, timestamp }, body, NOW, 300).ok;
    }), { numRuns: 300 });
  });

  it('refuses a public key that is not 32 bytes of hex', () => {
    expect(() => discordPublicKey('abc')).toThrow(/64 hex/);
  });
});

describe('verifySlackSignature', () => {
  const secret = 'slack-signing-secret-for-tests';
  const body = Buffer.from('command=%2Foresi&text=run+up&user_id=U1');

  it('accepts v0= HMAC-SHA256 over v0:ts:body', () => {
    expect(verifySlackSignature(secret, { signature: signSlack(secret, TS, body), timestamp: TS }, body, NOW, 300)).toEqual({ ok: true });
  });

  it('refuses re-encoded bodies, other secrets, other timestamps and stale requests', () => {
    const sig = signSlack(secret, TS, body);
    const reencoded = Buffer.from(body.toString().replace('+', '%20'));
    expect(verifySlackSignature(secret, { signature: sig, timestamp: TS }, reencoded, NOW, 300).ok).toBe(false);
    expect(verifySlackSignature('other', { signature: sig, timestamp: TS }, body, NOW, 300).ok).toBe(false);
    expect(verifySlackSignature(secret, { signature: sig, timestamp: String(Number(TS) + 1) }, body, NOW, 300).ok).toBe(false);
    const old = String(Number(TS) - 301);
    expect(verifySlackSignature(secret, { signature: signSlack(secret, old, body), timestamp: old }, body, NOW, 300)).toEqual({ ok: false, reason: 'stale' });
  });

  it('never throws on arbitrary signatures (lengths differ from the digest)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 100 }), (signature) => {
      const r = verifySlackSignature(secret, { signature, timestamp: TS }, body, NOW, 300);
      return !r.ok && (r.reason === 'malformed' || r.reason === 'mismatch');
    }), { numRuns: 300 });
  });
});
