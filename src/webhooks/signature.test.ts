import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractDigest, verifySignature } from './signature.js';

const secret = 'a-webhook-secret-of-decent-length';
const hex = (body: Buffer, key = secret) => createHmac('sha256', key).update(body).digest('hex');

describe('verifySignature', () => {
  const body = Buffer.from('{"ref":"refs/heads/main"}');

  it('accepts GitHub sha256=<hex> and Gitea <hex> over the raw bytes', () => {
    expect(verifySignature('github', secret, body, `sha256=${hex(body)}`)).toBe(true);
    expect(verifySignature('gitea', secret, body, hex(body))).toBe(true);
  });

  it.each([
    ['github without the prefix', 'github', (h: string) => h],
    ['github with sha1=', 'github', (h: string) => `sha1=${h}`],
    ['gitea with a sha256= prefix', 'gitea', (h: string) => `sha256=${h}`],
    ['a short digest', 'gitea', (h: string) => h.slice(0, 63)],
    ['a long digest', 'gitea', (h: string) => `${h}0`],
    ['non-hex', 'gitea', (h: string) => `z${h.slice(1)}`],
  ] as const)('refuses %s', (_name, provider, shape) => {
    expect(verifySignature(provider, secret, body, shape(hex(body)))).toBe(false);
  });

  it('refuses a missing or repeated header, and another secret', () => {
    expect(verifySignature('github', secret, body, undefined)).toBe(false);
    expect(verifySignature('github', secret, body, [`sha256=${hex(body)}`, `sha256=${hex(body)}`])).toBe(false);
    expect(verifySignature('github', secret, body, `sha256=${hex(body, 'another-secret-entirely')}`)).toBe(false);
  });

  it('property: any change to the body breaks the signature', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 256 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (bytes, at, flip) => {
      const original = Buffer.from(bytes);
      const sig = `sha256=${hex(original)}`;
      expect(verifySignature('github', secret, original, sig)).toBe(true);
      const tampered = Buffer.from(original);
      const i = at % tampered.length;
      tampered[i] = (tampered[i] ?? 0) ^ flip;
      expect(verifySignature('github', secret, tampered, sig)).toBe(false);
    }));
  });

  it('property: arbitrary header strings never throw and never verify', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (header) => {
      expect(verifySignature('github', secret, Buffer.from('x'), header)).toBe(false);
      expect(verifySignature('gitea', secret, Buffer.from('x'), header)).toBe(false);
    }));
  });

  it('extractDigest yields 32 bytes or nothing', () => {
    expect(extractDigest('github', `sha256=${'ab'.repeat(32)}`)?.length).toBe(32);
    expect(extractDigest('gitea', 'ab'.repeat(32))?.length).toBe(32);
    expect(extractDigest('gitea', '')).toBeNull();
  });
});
