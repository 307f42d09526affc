import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, hashCanonical } from './canonical-json.js';

/** Rebuilds every object with its keys in reverse insertion order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]));
  }
  return value;
}

describe('canonicalJson', () => {
  it('sorts keys recursively and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('writes what JSON.parse of the stored text gives back (NaN, Infinity, undefined in arrays, Dates)', () => {
    const value = { n: NaN, i: -Infinity, arr: [undefined, 1], d: new Date(0) };
    expect(canonicalJson(value)).toBe('{"arr":[null,1],"d":"1970-01-01T00:00:00.000Z","i":null,"n":null}');
  });

  it('refuses BigInt rather than guessing a representation', () => {
    expect(() => canonicalJson({ big: 1n })).toThrow(/BigInt/);
  });

  it('is independent of key order (property)', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      expect(canonicalJson(reverseKeys(value))).toBe(canonicalJson(value));
    }));
  });

  it('round-trips: canonicalJson(JSON.parse(canonicalJson(x))) === canonicalJson(x) (property)', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      const text = canonicalJson(value);
      expect(canonicalJson(JSON.parse(text))).toBe(text);
    }));
  });
});

describe('strict mode (plan hashes)', () => {
  it('refuses values JSON cannot carry faithfully', () => {
    expect(() => canonicalJson({ a: Number.NaN }, 'strict')).toThrow(/non-finite/);
    expect(() => canonicalJson({ a: () => 1 }, 'strict')).toThrow(/function/);
  });

  it('agrees with json mode on every JSON value (property)', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      expect(canonicalJson(value, 'strict')).toBe(canonicalJson(value));
    }));
  });

  it('hashes to lowercase SHA-256 hex', () => {
    // sha256('{}')
    expect(hashCanonical({})).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
  });
});
