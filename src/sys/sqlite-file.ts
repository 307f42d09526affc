import Database from 'better-sqlite3';
import { accessSync, closeSync, constants, lstatSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/** Creates the folder (0700) and the file (0600) when missing: a store's bytes are the owner's alone. */
export function createPrivateFile(path: string): void {
  // recursive mkdir applies the mode only to folders it creates; an existing parent is left alone.
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // 'a' creates without truncating; SQLite then creates -wal/-shm with this file's mode.
  closeSync(openSync(path, 'a', 0o600));
}

/**
 * Refuses a database whose files SQLite could map or write but the kernel would not let it
 * change. SQLite maps `<db>-shm` (the WAL index) into every connection's memory, and a store
 * into a mapping of a file that is immutable (chattr +i) is SIGBUS for the whole process, not an
 * error code; a read takes a read-mark in that mapping too. So before any statement, the
 * database, `-wal` and `-shm` (when present) must be regular files the kernel allows writing.
 * access(2), not open(2): closing a descriptor on the database or -shm would drop the POSIX
 * locks SQLite holds on it. A read needs only `-shm`: pass ['-shm']. Throws an Error naming the file.
 */
export function assertStoreFilesWritable(path: string, suffixes: readonly string[] = ['', '-wal', '-shm']): void {
  for (const file of suffixes.map((suffix) => path + suffix)) {
    const stat = lstatSync(file, { throwIfNoEntry: false });
    if (stat === undefined) continue;
    if (!stat.isFile()) throw new Error(`${file} is not a regular file`);
    try {
      accessSync(file, constants.W_OK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      const hint = code === 'EPERM' ? ': immutable or append-only? see lsattr, chattr -i' : '';
      throw new Error(`${file} is not writable (${code}${hint})`);
    }
  }
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
 * cron'd command): a lock is waited for up to 5 s. Files SQLite could not safely map are refused
 * (assertStoreFilesWritable). Anything that fails closes the file again.
 */
export function openLocalStore(path: string, opts: LocalStoreOptions): Database.Database {
  createPrivateFile(path);
  assertStoreFilesWritable(path);
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
