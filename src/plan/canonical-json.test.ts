import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashCanonical, toCanonicalJson } from './canonical-json.js';

describe('toCanonicalJson', () => {
  it('sorts keys at every depth and drops undefined values', () => {
    expect(toCanonicalJson({ b: 1, a: { d: [2, { z: 1, y: 'x' }], c: undefined } })).toBe('{"a":{"d":[2,{"y":"x","z":1}]},"b":1}');
  });

  it('does not depend on key insertion order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(toCanonicalJson(reversed)).toBe(toCanonicalJson(obj));
        expect(JSON.parse(toCanonicalJson(obj))).toEqual(JSON.parse(JSON.stringify(obj)));
      }),
    );
  });

  it('refuses values JSON cannot carry faithfully', () => {
    expect(() => toCanonicalJson({ a: Number.NaN })).toThrow(/non-finite/);
    expect(() => toCanonicalJson({ a: () => 1 })).toThrow(/function/);
  });

  it('hashes to lowercase SHA-256 hex', () => {
    // sha256('{}')
    expect(hashCanonical({})).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
  });
});
