import { createHmac, createPublicKey, timingSafeEqual, verify, type KeyObject } from 'node:crypto';

/**
 * Chat signatures, checked on the raw request bytes before anything is parsed (invariant 3).
 * Failures are data: the route turns every one of them into the same 401.
 */
export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

/** The fixed DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const TIMESTAMP = /^[0-9]{1,12}$/;

/** Discord hands out the raw 32-byte key as hex; node:crypto wants it wrapped as SPKI DER. */
export function discordPublicKey(hex: string): KeyObject {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('a Discord public key is 64 hex characters');
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

/** Both platforms send Unix seconds; anything else, or outside ±maxSkew of now, is refused. */
export function checkTimestamp(value: string | undefined, nowMs: number, maxSkewSeconds: number): SignatureCheck {
  if (value === undefined) return { ok: false, reason: 'missing' };
  if (!TIMESTAMP.test(value)) return { ok: false, reason: 'malformed' };
  return Math.abs(nowMs / 1000 - Number(value)) > maxSkewSeconds ? { ok: false, reason: 'stale' } : { ok: true };
}

/** X-Signature-Ed25519 (hex) over X-Signature-Timestamp followed by the raw body. */
export function verifyDiscordSignature(
  key: KeyObject,
  headers: { signature: string | undefined; timestamp: string | undefined },
  raw: Buffer,
  nowMs: number,
  maxSkewSeconds: number,
): SignatureCheck {
  if (headers.signature === undefined) return { ok: false, reason: 'missing' };
  const ts = checkTimestamp(headers.timestamp, nowMs, maxSkewSeconds);
  if (!ts.ok) return ts;
  if (!/^[0-9a-fA-F]{128}$/.test(headers.signature)) return { ok: false, reason: 'malformed' };
  const message = Buffer.concat([Buffer.from(headers.timestamp ?? '', 'utf8'), raw]);
  return verify(null, message, key, Buffer.from(headers.signature, 'hex')) ? { ok: true } : { ok: false, reason: 'mismatch' };
}

/** `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}`, keyed with the signing secret. */
export function signSlack(secret: string, timestamp: string, raw: Buffer): string {
  return `v0=${slackDigest(secret, timestamp, raw).toString('hex')}`;
}

function slackDigest(secret: string, timestamp: string, raw: Buffer): Buffer {
  return createHmac('sha256', secret).update(`v0:${timestamp}:`, 'utf8').update(raw).digest();
}

export function verifySlackSignature(
  secret: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  raw: Buffer,
  nowMs: number,
  maxSkewSeconds: number,
): SignatureCheck {
  if (headers.signature === undefined) return { ok: false, reason: 'missing' };
  const ts = checkTimestamp(headers.timestamp, nowMs, maxSkewSeconds);
  if (!ts.ok) return ts;
  const presented = /^v0=([0-9a-f]{64})$/.exec(headers.signature);
  if (!presented?.[1]) return { ok: false, reason: 'malformed' };
  // Both sides are 32-byte digests, so timingSafeEqual never sees different lengths.
  const expected = slackDigest(secret, headers.timestamp ?? '', raw);
  return timingSafeEqual(expected, Buffer.from(presented[1], 'hex')) ? { ok: true } : { ok: false, reason: 'mismatch' };
}
