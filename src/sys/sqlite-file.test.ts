import { readdirSync, readlinkSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLocalStore } from './sqlite-file.js';

const dirs: string[] = [];
/** This process's file descriptors open on `path` (or its -wal/-shm), from /proc (Linux). */
const openDescriptorsTo = (path: string) => readdirSync('/proc/self/fd').flatMap((fd) => {
  try {
    const target = readlinkSync(`/proc/self/fd/${fd}`);
    return target.startsWith(path) ? [target] : [];
  } catch {
    return [];
  }
});
afterEach(async () => { await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true }))); });

describe('openLocalStore', () => {
  it('creates a private folder and file, in WAL, with the asked synchronous level and schema', async () => {
    const root = await mkdtemp(join(tmpdir(), 'oresi-local-store-'));
    dirs.push(root);
    const path = join(root, 'data', 'side.db');
    const db = openLocalStore(path, { synchronous: 'NORMAL', schema: ['CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY)'] });
    try {
      expect((await stat(join(root, 'data'))).mode & 0o777).toBe(0o700);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
      db.prepare('INSERT INTO t (k) VALUES (?)').run('a');
    } finally {
      db.close();
    }
    // Opening again keeps the rows (IF NOT EXISTS) and can ask for FULL.
    const again = openLocalStore(path, { synchronous: 'FULL', schema: ['CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY)'] });
    try {
      expect(again.prepare('SELECT k FROM t').all()).toEqual([{ k: 'a' }]);
      expect(again.pragma('synchronous', { simple: true })).toBe(2); // FULL
    } finally {
      again.close();
    }
  });

  it('a schema that fails closes the file and throws', async () => {
    const root = await mkdtemp(join(tmpdir(), 'oresi-local-store-'));
    dirs.push(root);
    const path = join(root, 'bad.db');
    expect(() => openLocalStore(path, { synchronous: 'FULL', schema: ['CREATE TABLE nonsense ('] })).toThrow(/syntax error|incomplete input/);
    // Nothing in this process holds the file open any more.
    expect(openDescriptorsTo(path)).toEqual([]);
  });
});
