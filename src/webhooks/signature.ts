import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookProvider } from '../config/webhook-schema.js';

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/**
 * The signature header's hex digest, or null when it is not exactly the provider's format:
 * GitHub `X-Hub-Signature-256: sha256=<hex>`, Gitea `X-Gitea-Signature: <hex>` (no prefix; a
 * prefixed value is refused rather than guessed at).
 */
export function extractDigest(provider: WebhookProvider, header: string | string[] | undefined): Buffer | null {
  if (typeof header !== 'string') return null;
  const hex = provider === 'github' ? (header.startsWith('sha256=') ? header.slice('sha256='.length) : null) : header;
  if (hex === null || !HEX_SHA256.test(hex)) return null;
  return Buffer.from(hex, 'hex');
}

export function signBody(secret: string, body: Buffer): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

/**
 * HMAC-SHA256 of the raw bytes, compared in constant time. Both sides are 32-byte digests, so
 * timingSafeEqual never sees different lengths and the comparison leaks nothing.
 */
export function verifySignature(provider: WebhookProvider, secret: string, body: Buffer, header: string | string[] | undefined): boolean {
  const given = extractDigest(provider, header);
  const expected = signBody(secret, body);
  if (!given) return false;
  return timingSafeEqual(given, expected);
}

export const SIGNATURE_HEADER: Record<WebhookProvider, string> = {
  github: 'x-hub-signature-256',
  gitea: 'x-gitea-signature',
};
export const EVENT_HEADER: Record<WebhookProvider, string> = {
  github: 'x-github-event',
  gitea: 'x-gitea-event',
};
export const DELIVERY_HEADER: Record<WebhookProvider, string> = {
  github: 'x-github-delivery',
  gitea: 'x-gitea-delivery',
};
