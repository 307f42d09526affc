import Database from 'better-sqlite3';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/** Creates the folder (0700) and the file (0600) when missing: a store's bytes are the owner's alone. */
export function createPrivateFile(path: string): void {
  // recursive mkdir applies the mode only to folders it creates; an existing parent is left alone.
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // 'a' creates without truncating; SQLite then creates -wal/-shm with this file's mode.
  closeSync(openSync(path, 'a', 0o600));
}

export interface LocalStoreOptions {
  /** FULL: a write is on disk when it returns. NORMAL: a power cut may lose the last writes. */
  synchronous: 'FULL' | 'NORMAL';
  /** Statements that create the tables and indexes when missing (`CREATE … IF NOT EXISTS`). */
  schema: readonly string[];
}

/**
 * Opens one of the small SQLite files oresi keeps beside the audit database (replay claims,
 * webhook deliveries, open problems): a private file, WAL (checked, not assumed), the given
 * synchronous level and the schema. Several processes may share the file (`oresi serve` and a
 * cron'd command): a lock is waited for up to 5 s. Anything that fails closes the file again.
 */
export function openLocalStore(path: string, opts: LocalStoreOptions): Database.Database {
  createPrivateFile(path);
  const db = new Database(path, { timeout: 5_000 });
  try {
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`could not switch ${path} to WAL (journal_mode is ${String(mode)})`);
    db.pragma(`synchronous = ${opts.synchronous}`);
    for (const statement of opts.schema) db.exec(statement);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
