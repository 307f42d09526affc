import type Database from 'better-sqlite3';
import { AppError } from '../errors.js';
import { assertStoreFilesWritable } from '../sys/sqlite-file.js';
import { CONNECTION_BUSY_TIMEOUT_MS, createWriteQueue, DEFAULT_LOCK_WAIT_MS } from './lock-wait.js';
import { createEventTable } from './sqlite-events.js';
import { openAuditDatabase } from './sqlite-open.js';
import { createRunTable } from './sqlite-runs.js';
import { sqliteCodeOf, toUnavailable } from './store-errors.js';
import type { AuditStore, Checkpoint } from './types.js';
import type { RunState } from '../model.js';
import { parseCheckpoint, verifyChain } from './verify-chain.js';

export interface SqliteAuditStoreOptions {
  path: string;
  now: () => number;
  /**
   * How long a write waits for a lock another connection holds before failing closed
   * (default DEFAULT_LOCK_WAIT_MS). The wait is between timers: other requests go on meanwhile.
   */
  busyTimeoutMs?: number;
  /** For CLI verify/tail/export: the file must exist, and every write rejects. */
  readOnly?: boolean;
}

const MAX_EVENTS_PAGE = 10_000;
const INTERRUPTIBLE: readonly RunState[] = ['running', 'approved'];

/**
 * The audit store on one SQLite file. A write runs inside the call when the lock is free, and
 * waits in a queue (lock-wait.ts) while another process holds it: when the promise resolves the
 * commit is on disk (WAL, synchronous=FULL); when anything goes wrong it rejects with
 * E_AUDIT_UNAVAILABLE and the caller must not proceed. Every call first checks that SQLite can
 * safely use the files (assertStoreFilesWritable: an immutable -shm would be SIGBUS).
 * Throws E_AUDIT_UNAVAILABLE if the file cannot be opened.
 */
export function createSqliteAuditStore(opts: SqliteAuditStoreOptions): AuditStore {
  const { path, now } = opts;
  const readOnly = opts.readOnly ?? false;
  const waitMs = opts.busyTimeoutMs ?? DEFAULT_LOCK_WAIT_MS;
  let db: Database.Database;
  try {
    // Start-up may block on a lock: nothing is served yet. Afterwards a busy lock is waited for
    // by the queue, not inside SQLite.
    if (!readOnly) assertStoreFilesWritable(path);
    db = openAuditDatabase({ path, busyTimeoutMs: waitMs, readOnly });
    db.pragma(`busy_timeout = ${CONNECTION_BUSY_TIMEOUT_MS}`);
  } catch (err) {
    throw toUnavailable(path, 'open', err);
  }
  const queue = createWriteQueue({ path, waitMs });
  const events = createEventTable(db, now);
  const runs = createRunTable(db);
  const iso = () => new Date(now()).toISOString();
  const heartbeat = db.prepare("UPDATE meta SET value = ? WHERE key = 'heartbeat'");

  const appendTx = db.transaction(events.insert);
  const markInterruptedTx = db.transaction((stillRunning: ReadonlySet<string>) => {
    // One transaction: a run is never flipped without its event, nor the event written alone.
    const found = runs.inStates(INTERRUPTIBLE).filter((run) => !stillRunning.has(run.id));
    for (const { id, state } of found) {
      const at = iso();
      runs.update(id, { state: 'interrupted', finishedAt: at }, at);
      events.insert({ type: 'run.interrupted', runId: id, actor: 'system', data: { previousState: state } });
    }
    return found.map((run) => run.id);
  });

  /** A broken connection is as unavailable for reads as for writes: one code either way. */
  function attempt<T>(op: string, fn: () => T): T {
    try {
      // A read takes a read-mark in the mapped -shm: only that file must be writable.
      if (!readOnly && db.open) assertStoreFilesWritable(path, ['-shm']);
      return fn();
    } catch (err) {
      throw toUnavailable(path, op, err);
    }
  }

  /** The guard makes read-only refusal explicit even for a write that would change nothing
   *  (SQLite only objects once a page is dirtied). */
  function write<T>(op: string, fn: () => T): Promise<T> {
    return queue.run(op, () => {
      if (db.readonly) throw new Error('opened read-only');
      if (db.open) assertStoreFilesWritable(path);
      return fn();
    });
  }

  return {
    async append(event) {
      // IMMEDIATE takes the write lock before reading the head, so two writers (two
      // processes) can never both chain onto the same previous hash.
      return write('append', () => appendTx.immediate(event));
    },
    list({ afterSeq = 0, limit, runId }) {
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_EVENTS_PAGE) {
        throw new AppError('E_BAD_REQUEST', `events limit must be an integer from 1 to ${MAX_EVENTS_PAGE}`);
      }
      return attempt('list events', () => events.list({ afterSeq, limit, runId }));
    },
    verify(checkpoint?: Checkpoint) {
      const expected = checkpoint && parseCheckpoint(checkpoint);
      return attempt('verify', () => verifyChain(events.iterate(), expected));
    },
    checkpoint() {
      return attempt('read the checkpoint', () => events.head());
    },
    async ping() {
      // A committed write, not BEGIN/ROLLBACK: only a commit finds a full disk, a read-only
      // file or a lock held by someone else.
      await write('write (ping)', () => db.transaction(() => heartbeat.run(iso())).immediate());
    },
    async insertRun(run) {
      await write('insert a run', () => {
        try {
          runs.insert(run);
        } catch (err) {
          if (sqliteCodeOf(err) !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw err;
          throw new AppError('E_CONFLICT', `run ${run.id} already exists`);
        }
      });
    },
    async updateRun(id, patch) {
      const found = await write('update a run', () => runs.update(id, patch, iso()));
      if (!found) throw new AppError('E_NOT_FOUND', `run ${id} not found`);
    },
    getRun(id) {
      return attempt('read a run', () => runs.get(id));
    },
    listRuns(q) {
      return attempt('list runs', () => runs.list(q));
    },
    async markInterrupted(stillRunning = new Set<string>()) {
      return write('mark interrupted runs', () => markInterruptedTx.immediate(stillRunning));
    },
    close() {
      if (db.open) db.close();
    },
  };
}
