import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../canonical-json.js';
import { hashEvent } from './event-hash.js';
import { SCHEMA_VERSION } from './sqlite-migrations.js';
import { createSqliteAuditStore } from './sqlite-store.js';
import type { AuditStore } from './types.js';

let dir: string;
let path: string;
const open: AuditStore[] = [];
let clock: number;
const now = () => clock;

function store(extra: { readOnly?: boolean } = {}): AuditStore {
  const s = createSqliteAuditStore({ path, now, ...extra });
  open.push(s);
  return s;
}

beforeEach(() => {
  clock = Date.UTC(2024, 0, 1);
  dir = mkdtempSync(join(tmpdir(), 'oresi-audit-'));
  path = join(dir, 'state', 'audit.db');
});
afterEach(() => {
  for (const s of open.splice(0)) s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('sqlite audit store: events', () => {
  it('creates a private folder and file, in WAL mode at the current schema version', () => {
    store();
    expect(statSync(join(dir, 'state')).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get()).toBe(String(SCHEMA_VERSION));
    raw.close();
  });

  it('appends a chain: seq from 1, each prev_hash is the previous hash, ts from the injected clock', async () => {
    const s = store();
    const a = await s.append({ type: 'config.loaded', actor: 'system', data: { file: 'oresi.yaml' } });
    clock += 1000;
    const b = await s.append({ type: 'run.requested', runId: 'r1', actor: 'alice', ip: '192.0.2.7', data: { intent: 'restart' } });
    expect(a).toMatchObject({ seq: 1, prevHash: '0'.repeat(64), runId: null, ip: null, ts: '2024-01-01T00:00:00.000Z' });
    expect(b).toMatchObject({ seq: 2, prevHash: a.hash, runId: 'r1', actor: 'alice', ip: '192.0.2.7', ts: '2024-01-01T00:00:01.000Z' });
    expect(s.checkpoint()).toEqual({ seq: 2, hash: b.hash });
    expect(s.list({ limit: 10 })).toEqual([a, b]);
    expect(s.verify()).toEqual({ ok: true, count: 2, head: { seq: 2, hash: b.hash } });
  });

  it('lists ascending from a seq cursor, optionally for one run', async () => {
    const s = store();
    for (let i = 0; i < 7; i++) await s.append({ type: 'step.finished', runId: i % 2 ? 'odd' : 'even', data: { i } });
    expect(s.list({ afterSeq: 2, limit: 3 }).map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(s.list({ limit: 10, runId: 'odd' }).map((e) => e.seq)).toEqual([2, 4, 6]);
    expect(s.list({ afterSeq: 4, limit: 10, runId: 'odd' }).map((e) => e.seq)).toEqual([6]);
    expect(s.list({ afterSeq: 7, limit: 10 })).toEqual([]);
    expect(() => s.list({ limit: 0 })).toThrow(expect.objectContaining({ code: 'E_BAD_REQUEST' }));
  });

  it('keeps hashes stable across reopen and continues the chain', async () => {
    const first = store();
    const a = await first.append({ type: 'config.loaded', data: { z: 1, a: { y: 2, b: 3 } } });
    first.close();
    const second = store();
    expect(second.list({ limit: 5 })).toEqual([a]);
    const b = await second.append({ type: 'config.loaded' });
    expect(b).toMatchObject({ seq: 2, prevHash: a.hash });
    expect(second.verify()).toMatchObject({ ok: true, count: 2 });
  });

  it('keeps one chain when two connections (two processes) append to the same file', async () => {
    const a = store();
    const b = store();
    for (let i = 0; i < 6; i++) await (i % 2 ? a : b).append({ type: 'key.used', data: { i } });
    expect(a.list({ limit: 10 }).map((e) => e.data.i)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(b.verify()).toMatchObject({ ok: true, count: 6 });
  });

  it('verifies a long log by streaming it', async () => {
    const s = store();
    const last = await s.append({ type: 'config.loaded' });
    // Bulk-load through a raw connection in one transaction: 50k fsynced appends would be slow.
    const raw = new Database(path);
    const insert = raw.prepare('INSERT INTO events VALUES (?, ?, ?, NULL, NULL, NULL, ?, ?, ?)');
    raw.transaction(() => {
      let prev = last.hash;
      for (let seq = 2; seq <= 50_000; seq++) {
        const fields = { seq, ts: last.ts, type: 'key.used', runId: null, actor: null, ip: null, data: { seq } };
        const hash = hashEvent(prev, fields);
        insert.run(seq, fields.ts, fields.type, canonicalJson(fields.data), prev, hash);
        prev = hash;
      }
    })();
    raw.close();
    expect(s.verify()).toMatchObject({ ok: true, count: 50_000 });
    expect(s.checkpoint()?.seq).toBe(50_000);
  });

  it('hashes data the same whatever its key order', async () => {
    const s = store();
    const a = await s.append({ type: 'security.event', data: { x: 1, y: { p: 1, q: 2 } } });
    const other = createSqliteAuditStore({ path: join(dir, 'other.db'), now });
    open.push(other);
    const b = await other.append({ type: 'security.event', data: { y: { q: 2, p: 1 }, x: 1 } });
    expect(b.hash).toBe(a.hash);
  });

  it('refuses UPDATE and DELETE on events through its own connection (triggers)', async () => {
    const s = store();
    await s.append({ type: 'config.loaded' });
    s.close();
    // A second writable connection gets the same triggers: they live in the schema.
    const raw = new Database(path);
    expect(() => raw.prepare("UPDATE events SET actor = 'mallory'").run()).toThrow(/append-only: UPDATE refused/);
    expect(() => raw.prepare('DELETE FROM events').run()).toThrow(/append-only: DELETE refused/);
    expect(raw.prepare('SELECT actor FROM events').pluck().all()).toEqual([null]);
    raw.close();
  });

  it('ping commits a heartbeat write', async () => {
    const s = store();
    clock = Date.UTC(2024, 5, 1);
    await s.ping();
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare("SELECT value FROM meta WHERE key = 'heartbeat'").pluck().get()).toBe('2024-06-01T00:00:00.000Z');
    raw.close();
  });
});

describe('sqlite audit store: read-only', () => {
  it('refuses to open a missing file and creates nothing', () => {
    expect(() => store({ readOnly: true })).toThrow(expect.objectContaining({ code: 'E_AUDIT_UNAVAILABLE' }));
    expect(() => statSync(path)).toThrow(/ENOENT/);
  });

  it('reads, verifies and tails alongside a writer, but every write rejects', async () => {
    const writer = store();
    const a = await writer.append({ type: 'config.loaded' });
    const reader = store({ readOnly: true });
    expect(reader.list({ limit: 5 })).toEqual([a]);
    const b = await writer.append({ type: 'run.requested', runId: 'r1' });
    expect(reader.checkpoint()).toEqual({ seq: 2, hash: b.hash });
    expect(reader.verify()).toMatchObject({ ok: true, count: 2 });
    await expect(reader.append({ type: 'config.loaded' })).rejects.toMatchObject({ code: 'E_AUDIT_UNAVAILABLE' });
    await expect(reader.ping()).rejects.toMatchObject({ code: 'E_AUDIT_UNAVAILABLE' });
    await expect(reader.markInterrupted()).rejects.toMatchObject({ code: 'E_AUDIT_UNAVAILABLE' });
    expect(writer.checkpoint()?.seq).toBe(2);
  });
});
