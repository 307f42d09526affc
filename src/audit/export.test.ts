import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportJsonl, formatEvent } from './export.js';
import { createSqliteAuditStore } from './sqlite-store.js';
import type { AuditEvent, AuditStore } from './types.js';

let dir: string;
let store: AuditStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'oresi-export-'));
  store = createSqliteAuditStore({ path: join(dir, 'audit.db'), now: () => Date.UTC(2024, 0, 1) });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('exportJsonl', () => {
  it('writes every event once, in seq order, across several internal pages', async () => {
    for (let i = 0; i < 7; i++) await store.append({ type: 'key.used', actor: `k${i}`, data: { i } });
    const lines: string[] = [];
    expect(exportJsonl(store, (line) => lines.push(line), 3)).toBe(7);
    const parsed = lines.map((l) => JSON.parse(l) as AuditEvent);
    expect(parsed.map((e) => e.seq)).toEqual(Array.from({ length: 7 }, (_, i) => i + 1));
    expect(parsed[6]).toEqual(store.list({ afterSeq: 6, limit: 1 })[0]);
    expect(lines.every((l) => !l.includes('\n'))).toBe(true);
  });

  it('stops on an exactly full last page and writes nothing for an empty log', async () => {
    const lines: string[] = [];
    expect(exportJsonl(store, (line) => lines.push(line))).toBe(0);
    expect(lines).toEqual([]);
    for (let i = 0; i < 6; i++) await store.append({ type: 'key.used' });
    expect(exportJsonl(store, (line) => lines.push(line), 3)).toBe(6);
  });
});

describe('formatEvent', () => {
  const base: AuditEvent = {
    seq: 12, ts: '2024-01-01T00:00:00.000Z', type: 'run.started', runId: 'r1', actor: 'alice', ip: '192.0.2.1',
    data: { stack: 'media' }, prevHash: '0'.repeat(64), hash: 'a'.repeat(64),
  };

  it('summarises an event on one line', () => {
    expect(formatEvent(base)).toBe('#12 2024-01-01T00:00:00.000Z run.started run=r1 actor=alice ip=192.0.2.1 {"stack":"media"}');
    expect(formatEvent({ ...base, runId: null, actor: null, ip: null, data: {} })).toBe('#12 2024-01-01T00:00:00.000Z run.started');
  });

  it('truncates long data and keeps control characters out of the terminal', () => {
    const line = formatEvent({ ...base, actor: 'evil\n\u001b[2Jname', data: { blob: 'x'.repeat(500) } });
    expect(line.includes('\n') || line.includes('\u001b')).toBe(false);
    expect(line).toContain('actor=evil  [2Jname');
    expect(line.endsWith('…')).toBe(true);
    expect(line.length).toBeLessThan(320);
  });
});
