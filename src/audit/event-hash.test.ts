import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, hashEvent } from './event-hash.js';

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
