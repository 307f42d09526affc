import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';
import { GENESIS_HASH, hashEvent } from './event-hash.js';

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
    expect(() => canonicalJson({ big: 1n })).toThrow(TypeError);
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

describe('hashEvent', () => {
  const fields = { seq: 1, ts: '2024-01-01T00:00:00.000Z', type: 'config.loaded', runId: null, actor: 'system', ip: null, data: { b: 1, a: 2 } };

  it('is sha256 of prev_hash, a newline and the canonical body (pinned)', () => {
    // Pinned so a change to the hashing breaks this test before it breaks every existing log.
    expect(hashEvent(GENESIS_HASH, fields)).toBe(hashEvent(GENESIS_HASH, { ...fields, data: { a: 2, b: 1 } }));
    // Computed independently: printf '%s\n%s' $zeros '<body>' | sha256sum
    const body = '{"actor":"system","data":{"a":2,"b":1},"ip":null,"runId":null,"seq":1,"ts":"2024-01-01T00:00:00.000Z","type":"config.loaded"}';
    expect(createHash('sha256').update(`${GENESIS_HASH}\n${body}`).digest('hex'))
      .toBe('3f3f73f810ddf739f21d8b108bff136a3522e0ff0b817eccf428dd605b40360a');
    expect(hashEvent(GENESIS_HASH, fields)).toBe('3f3f73f810ddf739f21d8b108bff136a3522e0ff0b817eccf428dd605b40360a');
  });

  it('changes when any covered field or the previous hash changes', () => {
    const base = hashEvent(GENESIS_HASH, fields);
    expect(hashEvent('1'.repeat(64), fields)).not.toBe(base);
    for (const patch of [{ seq: 2 }, { ts: 'x' }, { type: 'run.started' }, { runId: 'r' }, { actor: null }, { ip: '::1' }, { data: {} }]) {
      expect(hashEvent(GENESIS_HASH, { ...fields, ...patch })).not.toBe(base);
    }
  });
});
