import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../canonical-json.js';
import { hashEvent } from './event-hash.js';
import { createSqliteAuditStore } from './sqlite-store.js';
import type { AuditStore, Checkpoint } from './types.js';

// An attacker with write access to the file: a raw connection, triggers dropped.
let dir: string;
let path: string;
let store: AuditStore;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'oresi-tamper-'));
  path = join(dir, 'audit.db');
  store = createSqliteAuditStore({ path, now: () => Date.UTC(2024, 0, 1) });
  for (let i = 1; i <= 10; i++) {
    await store.append({ type: 'step.finished', runId: 'r1', actor: 'alice', data: { step: i, exitCode: 0 } });
  }
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function tamper(sql: string, ...params: unknown[]): void {
  const raw = new Database(path);
  raw.exec('DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;');
  raw.prepare(sql).run(...params);
  raw.close();
}

describe('verify detects tampering', () => {
  it('is ok before anyone touches the file', () => {
    expect(store.verify()).toMatchObject({ ok: true, count: 10 });
  });

  it('(a) an edited row fails at that seq', () => {
    tamper(`UPDATE events SET data = '{"exitCode":1,"step":4}' WHERE seq = 4`);
    const result = store.verify();
    expect(result).toMatchObject({ ok: false, seq: 4 });
    expect(result.ok === false && result.reason).toMatch(/^edited: hash mismatch/);
  });

  it('(a) an edited row whose hash was recomputed fails at the next seq', () => {
    const row = store.list({ afterSeq: 3, limit: 1 })[0]!;
    const forged = { ...row, actor: 'mallory' };
    tamper('UPDATE events SET actor = ?, hash = ? WHERE seq = 4', forged.actor, hashEvent(row.prevHash, forged));
    expect(store.verify()).toMatchObject({ ok: false, seq: 5, reason: expect.stringMatching(/prev_hash mismatch/) });
  });

  it('(b) a deleted middle row fails at the missing seq', () => {
    tamper('DELETE FROM events WHERE seq = 6');
    const result = store.verify();
    expect(result).toMatchObject({ ok: false, seq: 6 });
    expect(result.ok === false && result.reason).toMatch(/^deleted: seq 6 is missing/);
  });

  it('(c) deleted tail rows pass without a checkpoint but fail against an earlier one', () => {
    const checkpoint = store.checkpoint() as Checkpoint;
    expect(checkpoint.seq).toBe(10);
    tamper('DELETE FROM events WHERE seq > 7');
    expect(store.verify()).toMatchObject({ ok: true, count: 7 });
    expect(store.verify(checkpoint)).toEqual({
      ok: false, seq: 8, reason: 'truncated: checkpoint at seq 10, log ends at 7',
    });
  });

  it('(d) a consistent rewrite from seq k is caught by a checkpoint at or after k', () => {
    const checkpoint = store.checkpoint() as Checkpoint;
    const k = 5;
    const raw = new Database(path);
    raw.exec('DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;');
    raw.prepare('DELETE FROM events WHERE seq >= ?').run(k);
    let prev = raw.prepare('SELECT hash FROM events WHERE seq = ?').pluck().get(k - 1) as string;
    const insert = raw.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (let seq = k; seq <= 12; seq++) {
      const fields = { seq, ts: '2024-01-01T00:00:00.000Z', type: 'step.finished', runId: 'r1', actor: 'alice', ip: null, data: { step: seq, exitCode: 0, note: 'forged' } };
      const hash = hashEvent(prev, fields);
      insert.run(seq, fields.ts, fields.type, fields.runId, fields.actor, null, canonicalJson(fields.data), prev, hash);
      prev = hash;
    }
    raw.close();
    // The chain alone is consistent: this is exactly what only a checkpoint can reveal.
    expect(store.verify()).toMatchObject({ ok: true, count: 12 });
    const result = store.verify(checkpoint);
    expect(result).toMatchObject({ ok: false, seq: 10 });
    expect(result.ok === false && result.reason).toMatch(/^rewritten: hash at checkpoint seq 10/);
  });

  it('verifies a read-only copy opened by the CLI the same way', () => {
    tamper('UPDATE events SET ts = ? WHERE seq = 2', '2020-01-01T00:00:00.000Z');
    const reader = createSqliteAuditStore({ path, now: Date.now, readOnly: true });
    expect(reader.verify()).toMatchObject({ ok: false, seq: 2 });
    reader.close();
  });
});
