import { openLocalStore } from '../sys/sqlite-file.js';

/**
 * Interaction ids (and Slack request signatures) already acted on, so a replayed request never
 * runs twice (invariant 5) — also across a restart, which an in-memory set would not survive.
 * Its own small SQLite file beside the audit database: the audit store has no keyed lookup, and
 * this table is bookkeeping, not part of the hash-chained record.
 */
export interface SeenStore {
  /** True the first time `key` is claimed within the retention; false for every replay. */
  claim(key: string): boolean;
  close(): void;
}

export interface SeenStoreOptions {
  path: string;
  now: () => number;
  /** How long a claim is remembered; must exceed the signature window (maxSkew, both ways). */
  retentionMs: number;
}

const PRUNE_EVERY = 500;

export function createSeenStore(opts: SeenStoreOptions): SeenStore {
  const db = openLocalStore(opts.path, {
    // A claim is on disk before the request is acknowledged: a crash cannot forget it.
    synchronous: 'FULL',
    schema: ['CREATE TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID'],
  });
  const insert = db.prepare<[string, number]>('INSERT OR IGNORE INTO seen (key, at) VALUES (?, ?)');
  const prune = db.prepare<[number]>('DELETE FROM seen WHERE at < ?');
  let claims = 0;
  prune.run(opts.now() - opts.retentionMs);
  return {
    claim(key) {
      const now = opts.now();
      if (++claims % PRUNE_EVERY === 0) prune.run(now - opts.retentionMs);
      return insert.run(key, now).changes === 1;
    },
    close: () => db.close(),
  };
}

export interface ReplayGuard {
  /**
   * True the first time `key` is seen. `durable` requests (anything that can change state) are
   * also claimed in the SQLite store, so they stay at most once across a restart; read-only ones
   * (a replay could only repeat an answer) are remembered in memory, which costs no fsync.
   */
  claim(key: string, durable: boolean): boolean;
}

export function createReplayGuard(store: SeenStore, opts: { now: () => number; ttlMs: number; maxKeys?: number }): ReplayGuard {
  const recent = new Map<string, number>();
  const max = opts.maxKeys ?? 50_000;
  const forget = (now: number) => {
    for (const [key, at] of recent) {
      if (now - at < opts.ttlMs && recent.size < max) break;
      recent.delete(key);
    }
  };
  return {
    claim(key, durable) {
      const now = opts.now();
      forget(now);
      if (recent.has(key)) return false;
      recent.set(key, now);
      return durable ? store.claim(key) : true;
    },
  };
}
