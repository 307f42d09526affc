import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createRedactor } from './redact.js';
import type { StreamLimits } from './redact-stream.js';

const M = '***REDACTED***';
// Small limits make every property run cross many flush boundaries.
const TINY: StreamLimits = { window: 128, batch: 32, maxHold: 1024, context: 16 };

/** Secrets share no character with the marker (see createRedactor's doc for why that matters). */
const secretArb = fc.string({ unit: fc.constantFrom(...'abcxyz019-_/+'), minLength: 6, maxLength: 40 });
const fillerArb = fc.string({ unit: fc.constantFrom(...'abcxyz019 \n-_=:*R'), maxLength: 60 });
const tokenArb = fc.constantFrom(
  'ghp_' + '0123456789abcdefghijABCDEFGHIJ012345',
  'password=hunter2',
  'AKIA' + 'ABCDEFGHIJKLMNOP',
  'https://u:pw@host',
  '-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----',
  'eyJhbGciOi.eyJzdWIiOiIx.c2lnbmF0dXJl',
  '\u{1F600}',
);

function streamAll(stream: { push(s: string): string; end(): string }, text: string, cuts: number[]): string {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  let out = '';
  let prev = 0;
  for (const p of points) {
    out += stream.push(text.slice(prev, p));
    prev = p;
  }
  out += stream.push(text.slice(prev));
  return out + stream.end();
}

const docArb = fc.record({
  secrets: fc.array(secretArb, { minLength: 1, maxLength: 8 }),
  parts: fc.array(fc.tuple(fillerArb, fc.nat(), tokenArb, fc.boolean()), { maxLength: 20 }),
}).map(({ secrets, parts }) => ({
  secrets,
  text: parts.map(([filler, i, token, useToken]) => filler + (useToken ? token : secrets[i % secrets.length])).join(''),
}));

describe('redact', () => {
  test('replaces every known secret, overlapping ones as one span', () => {
    const r = createRedactor({ secrets: ['abcdef', 'cdefgh', 'hunter22'] });
    expect(r.redact('x abcdefgh y hunter22hunter22')).toBe(`x ${M} y ${M}${M}`);
  });

  test('ignores values shorter than minSecretLength and values inside the marker', () => {
    const r = createRedactor({ secrets: ['1', 'abc', 'REDACTED', 'longer-one'], minSecretLength: 4 });
    expect(r.redact('1 abc REDACTED longer-one')).toBe(`1 abc REDACTED ${M}`);
  });

  test('text with nothing to redact is returned as is', () => {
    const r = createRedactor({ secrets: ['s3cr3t-value'] });
    expect(r.redact('plex  | Listening on 32400')).toBe('plex  | Listening on 32400');
  });

  test('property: no known secret survives', () => {
    fc.assert(fc.property(docArb, ({ secrets, text }) => {
      const out = createRedactor({ secrets }).redact(text);
      for (const s of secrets) expect(out).not.toContain(s);
    }));
  });

  test('property: alternation and Aho–Corasick engines agree', () => {
    fc.assert(fc.property(docArb, ({ secrets, text }) => {
      const a = createRedactor({ secrets, engine: 'alternation' }).redact(text);
      const b = createRedactor({ secrets, engine: 'aho-corasick' }).redact(text);
      expect(b).toBe(a);
    }));
  });
});

describe('stream', () => {
  test('a secret split across chunks is caught', () => {
    const r = createRedactor({ secrets: ['correct-horse-battery'] });
    const s = r.stream();
    const out = s.push('user logged in with correct-ho') + s.push('rse-battery and left') + s.end();
    expect(out).toBe(`user logged in with ${M} and left`);
  });

  test('emits before end() once enough text arrived, and holds back only a bounded tail', () => {
    const s = createRedactor({ streamLimits: TINY }).stream();
    const first = s.push('a'.repeat(1000));
    expect(first.length).toBeGreaterThan(0);
    expect(1000 - first.length).toBeLessThanOrEqual(TINY.window + TINY.batch);
    expect(first + s.end()).toBe('a'.repeat(1000));
  });

  test('property: stream output equals redact(whole) for any chunking, and no secret survives', () => {
    fc.assert(fc.property(docArb, fc.array(fc.nat(), { maxLength: 30 }), ({ secrets, text }, cuts) => {
      const r = createRedactor({ secrets, streamLimits: TINY });
      const out = streamAll(r.stream(), text, cuts);
      expect(out).toBe(r.redact(text));
      for (const s of secrets) expect(out).not.toContain(s);
    }), { numRuns: 300 });
  });

  test('a surrogate pair is never split between two outputs', () => {
    const s = createRedactor({ streamLimits: TINY }).stream();
    const text = '\u{1F600}'.repeat(600);
    const pieces = [s.push(text.slice(0, 301)), s.push(text.slice(301)), s.end()];
    for (const p of pieces) expect(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(p)).toBe(false);
    expect(pieces.join('')).toBe(text);
  });

  test('a private key longer than maxHold is swallowed up to its footer', () => {
    const r = createRedactor({ streamLimits: TINY });
    const key = `-----BEGIN RSA PRIVATE KEY-----\n${'QUJD\n'.repeat(2000)}-----END RSA PRIVATE KEY-----`;
    const text = `before\n${key}\nafter`;
    const out = streamAll(r.stream(), text, Array.from({ length: 200 }, (_, i) => i * 57));
    expect(out).toBe(`before\n${M}\nafter`);
    expect(out).toBe(r.redact(text));
  });

  test('a private key header with no footer redacts the rest of the stream', () => {
    const r = createRedactor({ streamLimits: TINY });
    const text = `ok\n-----BEGIN PRIVATE KEY-----\n${'QUJD'.repeat(3000)}`;
    expect(streamAll(r.stream(), text, [10, 500, 4000])).toBe(`ok\n${M}`);
  });

  test('end() resets: a stream can be reused', () => {
    const s = createRedactor({ secrets: ['reused-secret'] }).stream();
    expect(s.push('a reused-') + s.end()).toBe('a reused-');
    expect(s.push('secret') + s.end()).toBe('secret');
    expect(s.push('reused-secret') + s.end()).toBe(M);
  });
});

describe('redactValue', () => {
  test('redacts strings deeply, keeps keys, numbers, booleans and null', () => {
    const r = createRedactor({ secrets: ['tops3cret'] });
    const input = { a: 'x tops3cret', n: 42, b: true, z: null, list: [{ tops3cret: 'tops3cret' }, 'ok'] };
    expect(r.redactValue(input)).toEqual({ a: `x ${M}`, n: 42, b: true, z: null, list: [{ tops3cret: M }, 'ok'] });
    expect(input.a).toBe('x tops3cret');
  });

  test('dates become their JSON string; cycles become "[Circular]"; shared references are kept', () => {
    const r = createRedactor();
    const shared = { v: 'password=abc123' };
    const cyclic: Record<string, unknown> = { shared, again: shared, at: new Date(0) };
    cyclic.self = cyclic;
    expect(r.redactValue(cyclic)).toEqual({
      shared: { v: `password=${M}` }, again: { v: `password=${M}` }, at: '1970-01-01T00:00:00.000Z', self: '[Circular]',
    });
  });

  test('property: no secret survives in nested JSON', () => {
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('arr'), tie('obj')),
      leaf: fc.oneof(fc.tuple(fillerArb, fc.nat(), fillerArb), fc.integer(), fc.boolean(), fc.constant(null)),
      arr: fc.array(tie('tree'), { maxLength: 4 }),
      obj: fc.dictionary(fc.constantFrom('a', 'b', 'password', 'env'), tie('tree'), { maxKeys: 4 }),
    }));
    fc.assert(fc.property(fc.array(secretArb, { minLength: 1, maxLength: 5 }), tree, (secrets, shape) => {
      const fillIn = (v: unknown): unknown => {
        if (Array.isArray(v) && v.length === 3 && typeof v[1] === 'number' && typeof v[0] === 'string') {
          return `${v[0]}${secrets[v[1] % secrets.length]}${v[2]}`;
        }
        if (Array.isArray(v)) return v.map(fillIn);
        if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fillIn(x)]));
        return v;
      };
      const value = fillIn(shape);
      const out = JSON.stringify(createRedactor({ secrets }).redactValue(value));
      for (const s of secrets) expect(out).not.toContain(s);
    }));
  });
});
