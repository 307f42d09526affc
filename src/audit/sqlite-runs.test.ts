import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeRunCursor, encodeRunCursor } from './run-cursor.js';
import { createSqliteAuditStore } from './sqlite-store.js';
import type { AuditStore, RunQuery } from './types.js';
import type { RunRow, RunState } from '../model.js';

let dir: string;
let store: AuditStore;
let clock: number;

function makeRun(id: string, over: Partial<RunRow> = {}): RunRow {
  return {
    id, intent: 'restart', stack: 'media', state: 'requested', requestedBy: 'alice', source: 'api', reason: 'because',
    params: { service: 'plex', replicas: 2 }, planHash: `sha256:${id}`, plan: { steps: [{ argv: ['docker', 'compose', 'restart'] }] },
    steps: [], createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-01T00:00:00.000Z', finishedAt: null, ...over,
  };
}

beforeEach(() => {
  clock = Date.UTC(2024, 0, 1, 12);
  dir = mkdtempSync(join(tmpdir(), 'oresi-runs-'));
  store = createSqliteAuditStore({ path: join(dir, 'audit.db'), now: () => clock });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Follows nextCursor until the end, returning every id seen in order. */
function pageThrough(q: Omit<RunQuery, 'cursor'>): string[] {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const page = store.listRuns({ ...q, ...(cursor ? { cursor } : {}) });
    expect(page.runs.length).toBeLessThanOrEqual(q.limit);
    ids.push(...page.runs.map((r) => r.id));
    if (!page.nextCursor) return ids;
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not terminate');
}

describe('runs projection', () => {
  it('round-trips a run, JSON columns included', async () => {
    const run = makeRun('r1');
    await store.insertRun(run);
    expect(store.getRun('r1')).toEqual(run);
    expect(store.getRun('nope')).toBeUndefined();
    await expect(store.insertRun(run)).rejects.toMatchObject({ code: 'E_CONFLICT' });
  });

  it('patches only the given fields and stamps updatedAt from the clock', async () => {
    await store.insertRun(makeRun('r1'));
    clock = Date.UTC(2024, 0, 2);
    await store.updateRun('r1', { state: 'succeeded', steps: [{ exitCode: 0 }], finishedAt: '2024-01-02T00:00:00.000Z', reason: null });
    expect(store.getRun('r1')).toEqual(makeRun('r1', {
      state: 'succeeded', steps: [{ exitCode: 0 }], finishedAt: '2024-01-02T00:00:00.000Z', reason: null, updatedAt: '2024-01-02T00:00:00.000Z',
    }));
    await expect(store.updateRun('ghost', { state: 'failed' })).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
  });

  it('lists newest first with filters', async () => {
    await store.insertRun(makeRun('a', { createdAt: '2024-01-01T00:00:01.000Z', state: 'running' }));
    await store.insertRun(makeRun('b', { createdAt: '2024-01-01T00:00:03.000Z', stack: 'web' }));
    await store.insertRun(makeRun('c', { createdAt: '2024-01-01T00:00:02.000Z', intent: 'scale', state: 'running' }));
    expect(store.listRuns({ limit: 10 }).runs.map((r) => r.id)).toEqual(['b', 'c', 'a']);
    expect(store.listRuns({ limit: 10, state: 'running' }).runs.map((r) => r.id)).toEqual(['c', 'a']);
    expect(store.listRuns({ limit: 10, stack: 'web' }).runs.map((r) => r.id)).toEqual(['b']);
    expect(store.listRuns({ limit: 10, intent: 'scale', state: 'running' }).runs.map((r) => r.id)).toEqual(['c']);
    expect(store.listRuns({ limit: 10 }).nextCursor).toBeNull();
  });

  it('paginates without duplicates or misses, ties on createdAt included (property)', async () => {
    // 40 runs over 6 distinct timestamps, so many pages split a group of equal createdAt.
    const all = Array.from({ length: 40 }, (_, i) => makeRun(`run-${String(i).padStart(2, '0')}`, {
      createdAt: `2024-01-01T00:00:0${i % 6}.000Z`, state: i % 3 === 0 ? 'failed' : 'succeeded',
    }));
    for (const run of all) await store.insertRun(run);
    const expected = (state?: RunState) => all.filter((r) => !state || r.state === state)
      .sort((x, y) => (x.createdAt === y.createdAt ? y.id.localeCompare(x.id) : y.createdAt.localeCompare(x.createdAt)))
      .map((r) => r.id);
    fc.assert(fc.property(fc.integer({ min: 1, max: 45 }), fc.constantFrom<RunState | undefined>(undefined, 'failed'), (limit, state) => {
      expect(pageThrough({ limit, ...(state ? { state } : {}) })).toEqual(expected(state));
    }), { numRuns: 40 });
  });

  it('rejects a bad limit or a forged cursor as the caller’s error', () => {
    for (const limit of [0, 201, 1.5]) {
      expect(() => store.listRuns({ limit })).toThrow(expect.objectContaining({ code: 'E_BAD_REQUEST' }));
    }
    for (const cursor of ['', '!!', Buffer.from('no-bar').toString('base64url'), Buffer.from('|x').toString('base64url')]) {
      expect(() => store.listRuns({ limit: 5, cursor })).toThrow(expect.objectContaining({ code: 'E_BAD_REQUEST' }));
    }
  });

  it('cursor encoding round-trips any id (property)', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 80 }), (id) => {
      const cursor = { createdAt: '2024-01-01T00:00:00.000Z', id };
      expect(decodeRunCursor(encodeRunCursor(cursor))).toEqual(cursor);
    }));
  });

  it('markInterrupted flips running/approved runs, one run.interrupted event each, atomically', async () => {
    const states: RunState[] = ['running', 'approved', 'succeeded', 'pending_approval', 'running'];
    for (const [i, state] of states.entries()) {
      await store.insertRun(makeRun(`r${i}`, { state, createdAt: `2024-01-01T00:00:0${i}.000Z` }));
    }
    const ids = await store.markInterrupted();
    expect(ids).toEqual(['r0', 'r1', 'r4']);
    for (const id of ids) {
      expect(store.getRun(id)).toMatchObject({ state: 'interrupted', finishedAt: '2024-01-01T12:00:00.000Z', updatedAt: '2024-01-01T12:00:00.000Z' });
    }
    expect(store.getRun('r2')?.state).toBe('succeeded');
    expect(store.getRun('r3')?.state).toBe('pending_approval');
    const events = store.list({ limit: 10 });
    expect(events.map((e) => [e.type, e.runId, e.actor, e.data])).toEqual([
      ['run.interrupted', 'r0', 'system', { previousState: 'running' }],
      ['run.interrupted', 'r1', 'system', { previousState: 'approved' }],
      ['run.interrupted', 'r4', 'system', { previousState: 'running' }],
    ]);
    expect(store.verify()).toMatchObject({ ok: true, count: 3 });
    expect(await store.markInterrupted()).toEqual([]);
  });
});
