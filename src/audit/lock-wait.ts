import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../errors.js';
import { sqliteCodeOf, toUnavailable } from './store-errors.js';

/** How long a write waits, by default, for a lock another process holds on the audit database. */
export const DEFAULT_LOCK_WAIT_MS = 5_000;
/** SQLite's own busy handler sleeps inside the call, on the event loop: keep it this short. */
export const CONNECTION_BUSY_TIMEOUT_MS = 5;
const MAX_PAUSE_MS = 50;

export interface WriteQueue {
  /**
   * Runs `fn` (one SQLite write transaction) when the writes queued before it have finished. While
   * another process holds the lock, it is retried between timers, so other requests go on, until
   * `waitMs` after the call; then it rejects with E_AUDIT_UNAVAILABLE. Any other failure rejects
   * at once with E_AUDIT_UNAVAILABLE (or the AppError `fn` threw).
   */
  run<T>(op: string, fn: () => T): Promise<T>;
}

export interface WriteQueueOptions {
  path: string;
  waitMs: number;
  /** Monotonic milliseconds; the audit clock may be pinned by tests, this one must move. */
  clock?: () => number;
}

type Attempt<T> = { done: true; value: T } | { done: false };

/**
 * One writer at a time, in call order: the chain's order is the order oresi asked for the
 * appends, and each transaction still reads the head under BEGIN IMMEDIATE, so the chain stays
 * linear across processes. An idle queue writes inside the call, as a plain synchronous write
 * would; only a busy lock defers.
 */
export function createWriteQueue(opts: WriteQueueOptions): WriteQueue {
  const clock = opts.clock ?? (() => performance.now());
  let tail: Promise<unknown> = Promise.resolve();
  let queued = 0;

  function attempt<T>(op: string, fn: () => T): Attempt<T> {
    try {
      return { done: true, value: fn() };
    } catch (err) {
      if (sqliteCodeOf(err)?.startsWith('SQLITE_BUSY')) return { done: false };
      throw toUnavailable(opts.path, op, err);
    }
  }

  async function retry<T>(op: string, fn: () => T, deadline: number): Promise<T> {
    for (let pause = 1; ; pause = Math.min(pause * 2, MAX_PAUSE_MS)) {
      const result = attempt(op, fn);
      if (result.done) return result.value;
      const left = deadline - clock();
      if (left <= 0) throw lockTimeout(opts.path, op, opts.waitMs);
      await sleep(Math.min(pause, left));
    }
  }

  function enqueue<T>(op: string, fn: () => T, deadline: number): Promise<T> {
    queued++;
    const next = tail.then(() => retry(op, fn, deadline));
    tail = next.then(() => { queued--; }, () => { queued--; });
    return next;
  }

  return {
    run(op, fn) {
      const deadline = clock() + opts.waitMs;
      if (queued > 0) return enqueue(op, fn, deadline);
      try {
        const first = attempt(op, fn);
        if (first.done) return Promise.resolve(first.value);
      } catch (err) {
        return Promise.reject(err as Error);
      }
      return enqueue(op, fn, deadline);
    },
  };
}

function lockTimeout(path: string, op: string, waitMs: number): AppError {
  return new AppError('E_AUDIT_UNAVAILABLE',
    `audit store ${path} cannot ${op}: another process held the database lock for more than ${waitMs} ms, ` +
    `the longest oresi waits (SQLITE_BUSY)`, { op, sqliteCode: 'SQLITE_BUSY' });
}
