import type { Logger } from '../model.js';
import { openLocalStore } from '../sys/sqlite-file.js';
import { createMemoryProblemStore, type OpenProblem, type ProblemStore, type ProblemTable } from './suppression.js';

/**
 * Open alert problems in a small SQLite file beside the audit database (`<dataDir>/alerts.db`),
 * shared by every oresi process on the host. Each decision is one IMMEDIATE transaction, so a
 * server and a cron'd `oresi drift` deciding about the same stack at once cannot both announce
 * it. `synchronous = NORMAL`: losing the last decision to a power cut costs one repeated alert.
 */
export function createSqliteProblemStore(path: string): ProblemStore {
  const db = openLocalStore(path, {
    synchronous: 'NORMAL',
    schema: ['CREATE TABLE IF NOT EXISTS open_problems (key TEXT PRIMARY KEY, since TEXT NOT NULL, suppressed INTEGER NOT NULL, opened INTEGER NOT NULL)'],
  });
  const get = db.prepare<[string], { since: string; suppressed: number }>('SELECT since, suppressed FROM open_problems WHERE key = ?');
  const put = db.prepare<[string, string, number]>(
    `INSERT INTO open_problems (key, since, suppressed, opened) VALUES (?, ?, ?, (SELECT COALESCE(MAX(opened), 0) + 1 FROM open_problems))
     ON CONFLICT (key) DO UPDATE SET since = excluded.since, suppressed = excluded.suppressed`);
  const remove = db.prepare<[string]>('DELETE FROM open_problems WHERE key = ?');
  const count = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM open_problems');
  const removeOldest = db.prepare('DELETE FROM open_problems WHERE key = (SELECT key FROM open_problems ORDER BY opened LIMIT 1)');

  const table: ProblemTable = {
    get: (key): OpenProblem | undefined => get.get(key),
    set: (key, p) => { put.run(key, p.since, p.suppressed); },
    delete: (key) => { remove.run(key); },
    size: () => count.get()?.n ?? 0,
    deleteOldest: () => { removeOldest.run(); },
  };
  const inTransaction = db.transaction((fn: (t: ProblemTable) => unknown) => fn(table));
  return {
    atomically: <T>(fn: (t: ProblemTable) => T): T => inTransaction.immediate(fn) as T,
    close: () => db.close(),
  };
}

/**
 * The shared store, or, when the file cannot be opened (unwritable directory, a damaged file),
 * an in-memory one with a warning: alerts then repeat across processes, but none is lost and the
 * server still starts.
 */
export function openProblemStore(path: string, logger: Logger): ProblemStore {
  try {
    return createSqliteProblemStore(path);
  } catch (err) {
    logger.warn({ path, err: err instanceof Error ? err.message : String(err) }, 'alert state file unusable; open problems are kept in memory for this process');
    return createMemoryProblemStore();
  }
}
