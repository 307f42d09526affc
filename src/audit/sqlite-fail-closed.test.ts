import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteAuditStore } from './sqlite-store.js';
import type { AuditStore } from './types.js';
import type { RunRow } from '../model.js';

let dir: string;
let path: string;
let store: AuditStore;

const run: RunRow = {
  id: 'r1', intent: 'restart', stack: 'media', state: 'running', requestedBy: 'alice', source: 'api', reason: null,
  params: {}, planHash: 'p', plan: null, steps: [], createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-01T00:00:00.000Z', finishedAt: null,
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'oresi-failclosed-'));
  path = join(dir, 'audit.db');
  store = createSqliteAuditStore({ path, now: () => Date.UTC(2024, 0, 1), busyTimeoutMs: 100 });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the audit store fails closed', () => {
  it('rejects every write with E_AUDIT_UNAVAILABLE while another connection holds an EXCLUSIVE lock', async () => {
    await store.append({ type: 'config.loaded' });
    await store.insertRun(run);
    const other = new Database(path);
    other.exec('BEGIN EXCLUSIVE');
    try {
      const busy = { code: 'E_AUDIT_UNAVAILABLE', message: expect.stringMatching(/cannot append: .*SQLITE_BUSY/) };
      await expect(store.append({ type: 'run.started', runId: 'r1' })).rejects.toMatchObject(busy);
      await expect(store.ping()).rejects.toMatchObject({ code: 'E_AUDIT_UNAVAILABLE' });
      await expect(store.markInterrupted()).rejects.toMatchObject({ code: 'E_AUDIT_UNAVAILABLE' });
      await expect(store.updateRun('r1', { state: 'failed' })).rejects.toMatchObject({ code: 'E_AUDIT_UNAVAILABLE' });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    // Nothing half-written, and the store recovers once the lock is gone.
    expect(store.checkpoint()?.seq).toBe(1);
    expect(store.getRun('r1')?.state).toBe('running');
    await expect(store.append({ type: 'run.started', runId: 'r1' })).resolves.toMatchObject({ seq: 2 });
    expect(store.verify()).toMatchObject({ ok: true, count: 2 });
  });

  it('waits for a held lock between timers, in call order, and commits once it is released (issue 20)', async () => {
    await store.append({ type: 'config.loaded' });
    const waiting = createSqliteAuditStore({ path, now: () => Date.UTC(2024, 0, 1), busyTimeoutMs: 60_000 });
    const other = new Database(path);
    other.exec('BEGIN EXCLUSIVE');
    const settled: string[] = [];
    const first = waiting.append({ type: 'run.requested', runId: 'a' }).finally(() => settled.push('a'));
    const second = waiting.append({ type: 'run.requested', runId: 'b' }).finally(() => settled.push('b'));
    // The event loop turns while both wait: a blocking wait would have settled them by now.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toEqual([]);
    other.exec('ROLLBACK');
    other.close();
    expect([(await first).seq, (await second).seq]).toEqual([2, 3]);
    expect(settled).toEqual(['a', 'b']);
    expect(waiting.verify()).toMatchObject({ ok: true, count: 3 });
    waiting.close();
  });

  it('rejects appends after close, reads throw the same code, and close is idempotent', async () => {
    await store.append({ type: 'config.loaded' });
    store.close();
    store.close();
    await expect(store.append({ type: 'config.loaded' })).rejects.toMatchObject({ code: 'E_AUDIT_UNAVAILABLE' });
    await expect(store.ping()).rejects.toMatchObject({ code: 'E_AUDIT_UNAVAILABLE' });
    await expect(store.insertRun(run)).rejects.toMatchObject({ code: 'E_AUDIT_UNAVAILABLE' });
    expect(() => store.verify()).toThrow(expect.objectContaining({ code: 'E_AUDIT_UNAVAILABLE' }));
    expect(() => store.list({ limit: 1 })).toThrow(expect.objectContaining({ code: 'E_AUDIT_UNAVAILABLE' }));
  });

  it('rejects (never throws synchronously) so callers can rely on the promise alone', () => {
    store.close();
    let promise: Promise<unknown> | undefined;
    expect(() => { promise = store.append({ type: 'config.loaded' }); }).not.toThrow();
    return expect(promise).rejects.toMatchObject({ code: 'E_AUDIT_UNAVAILABLE' });
  });

  it('rejects data that cannot be stored instead of writing something else', async () => {
    await expect(store.append({ type: 'config.loaded', data: { n: 1n } })).rejects.toMatchObject({ code: 'E_AUDIT_UNAVAILABLE' });
    expect(store.checkpoint()).toBeNull();
  });

  it('refuses to open a file written by a newer schema', () => {
    store.close();
    const raw = new Database(path);
    raw.prepare("UPDATE meta SET value = '999' WHERE key = 'schema_version'").run();
    raw.close();
    expect(() => createSqliteAuditStore({ path, now: Date.now })).toThrow(
      expect.objectContaining({ code: 'E_AUDIT_UNAVAILABLE', message: expect.stringMatching(/schema version 999 is newer/) }),
    );
  });
});
