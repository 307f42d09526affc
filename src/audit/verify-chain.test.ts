import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../canonical-json.js';
import { GENESIS_HASH, hashEvent } from './event-hash.js';
import type { EventRow } from './event-row.js';
import { formatCheckpoint, parseCheckpoint, verifyChain } from './verify-chain.js';

/** A valid chain of n rows built the way the store builds it. */
function buildChain(n: number, salt = ''): EventRow[] {
  const rows: EventRow[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const fields = { seq, ts: `2024-01-01T00:00:${String(seq % 60).padStart(2, '0')}.000Z`, type: 'step.finished', runId: `r${seq % 3}`, actor: 'alice', ip: null, data: { i: seq, salt } };
    const hash = hashEvent(prev, fields);
    rows.push({ seq, ts: fields.ts, type: fields.type, run_id: fields.runId, actor: fields.actor, ip: null, data: canonicalJson(fields.data), prev_hash: prev, hash });
    prev = hash;
  }
  return rows;
}

const EDITS: Record<string, (row: EventRow) => EventRow> = {
  data: (r) => ({ ...r, data: '{"i":-1}' }),
  ts: (r) => ({ ...r, ts: '1999-01-01T00:00:00.000Z' }),
  type: (r) => ({ ...r, type: 'run.started' }),
  run_id: (r) => ({ ...r, run_id: null }),
  actor: (r) => ({ ...r, actor: 'mallory' }),
  ip: (r) => ({ ...r, ip: '10.0.0.1' }),
  hash: (r) => ({ ...r, hash: 'f'.repeat(64) }),
  prev_hash: (r) => ({ ...r, prev_hash: 'e'.repeat(64) }),
  brokenJson: (r) => ({ ...r, data: '{' }),
};

describe('verifyChain', () => {
  it('accepts an empty log and a valid chain, reporting count and head', () => {
    expect(verifyChain([])).toEqual({ ok: true, count: 0, head: null });
    const rows = buildChain(5);
    expect(verifyChain(rows)).toEqual({ ok: true, count: 5, head: { seq: 5, hash: rows[4]?.hash } });
  });

  it('reports the edited row for any single-field edit (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 12 }), fc.nat(), fc.constantFrom(...Object.keys(EDITS)), (n, pick, field) => {
      const rows = buildChain(n);
      const k = (pick % n) + 1;
      rows[k - 1] = EDITS[field]!(rows[k - 1]!);
      const result = verifyChain(rows);
      expect(result).toMatchObject({ ok: false, seq: k });
    }));
  });

  it('reports the deleted row for any deletion except the tail (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 12 }), fc.nat(), (n, pick) => {
      const rows = buildChain(n);
      const k = (pick % (n - 1)) + 1;
      rows.splice(k - 1, 1);
      const result = verifyChain(rows);
      expect(result).toMatchObject({ ok: false, seq: k });
      expect(result.ok === false && result.reason).toMatch(/^deleted/);
    }));
  });

  it('needs a checkpoint to see a truncated tail', () => {
    const rows = buildChain(6);
    const checkpoint = { seq: 6, hash: rows[5]!.hash };
    expect(verifyChain(rows.slice(0, 4))).toMatchObject({ ok: true, count: 4 });
    expect(verifyChain(rows.slice(0, 4), checkpoint)).toEqual({
      ok: false, seq: 5, reason: 'truncated: checkpoint at seq 6, log ends at 4',
    });
    expect(verifyChain(rows, checkpoint)).toMatchObject({ ok: true, count: 6 });
  });

  it('needs a checkpoint to see a consistent rewrite', () => {
    const original = buildChain(6);
    const forged = [...original.slice(0, 2), ...buildChain(6, 'forged').slice(2)];
    // Re-link the forged tail onto the genuine prefix so the chain itself is consistent.
    let prev = original[1]!.hash;
    for (const row of forged.slice(2)) {
      row.prev_hash = prev;
      row.hash = hashEvent(prev, { seq: row.seq, ts: row.ts, type: row.type, runId: row.run_id, actor: row.actor, ip: row.ip, data: JSON.parse(row.data) });
      prev = row.hash;
    }
    expect(verifyChain(forged)).toMatchObject({ ok: true, count: 6 });
    const result = verifyChain(forged, { seq: 5, hash: original[4]!.hash });
    expect(result).toMatchObject({ ok: false, seq: 5 });
    expect(result.ok === false && result.reason).toMatch(/^rewritten/);
  });
});

describe('parseCheckpoint', () => {
  const hash = 'a'.repeat(64);

  it('accepts an object or "seq:hash" and round-trips formatCheckpoint', () => {
    expect(parseCheckpoint({ seq: 3, hash })).toEqual({ seq: 3, hash });
    expect(parseCheckpoint(formatCheckpoint({ seq: 3, hash }))).toEqual({ seq: 3, hash });
  });

  it('rejects anything else with E_BAD_REQUEST (property)', () => {
    for (const bad of [null, 'x', { seq: 0, hash }, { seq: 1.5, hash }, { seq: 1, hash: 'A'.repeat(64) }, `3:${hash}0`]) {
      expect(() => parseCheckpoint(bad)).toThrow(expect.objectContaining({ code: 'E_BAD_REQUEST' }));
    }
    fc.assert(fc.property(fc.string(), (text) => {
      fc.pre(!/^\s*\d+:[0-9a-f]{64}\s*$/.test(text));
      expect(() => parseCheckpoint(text)).toThrow(expect.objectContaining({ code: 'E_BAD_REQUEST' }));
    }));
  });
});
