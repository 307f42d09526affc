import Database from 'better-sqlite3';
import { createPrivateFile } from '../sys/sqlite-file.js';
import { migrate, readSchemaVersion, SCHEMA_VERSION } from './sqlite-migrations.js';

export interface OpenOptions {
  path: string;
  busyTimeoutMs: number;
  readOnly: boolean;
}

/**
 * Opens the audit database. Writable: creates the folder (0700) and file (0600) when missing,
 * switches to WAL with synchronous=FULL (a commit is on disk when it returns) and migrates.
 * Read-only: the file must exist and be at the current schema; nothing is created.
 */
export function openAuditDatabase(opts: OpenOptions): Database.Database {
  if (!opts.readOnly) createPrivateFile(opts.path);
  const db = new Database(opts.path, {
    readonly: opts.readOnly,
    fileMustExist: opts.readOnly,
    timeout: opts.busyTimeoutMs,
  });
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(opts.busyTimeoutMs))}`);
    db.pragma('foreign_keys = ON');
    if (opts.readOnly) {
      const version = readSchemaVersion(db);
      if (version !== SCHEMA_VERSION) {
        throw new Error(`schema version ${version}, this oresi reads version ${SCHEMA_VERSION}`);
      }
      return db;
    }
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`could not switch to WAL (journal_mode is ${String(mode)})`);
    db.pragma('synchronous = FULL');
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
