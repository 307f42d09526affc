import { openLocalStore } from '../sys/sqlite-file.js';
import type { WebhookProvider } from '../config/webhook-schema.js';

/**
 * Delivery ids already acted on, so a replayed delivery (an attacker resending a captured
 * request, or a provider's redelivery) causes at most one execution (invariant 5). Its own small
 * SQLite file rather than a scan of the audit events: the check is one primary-key insert.
 */
export interface DeliveryStore {
  /** True the first time a (provider, id) is seen; false for every repeat. Durable on return. */
  claim(provider: WebhookProvider, id: string, nowMs: number): boolean;
  /** Forget a claim whose processing never started (the audit write failed), so a retry can act. */
  release(provider: WebhookProvider, id: string): void;
  /**
   * What a push means, claimed once whatever its delivery id (the signature does not cover the
   * id header, so a captured body can be resent under fresh ids): null the first time, else
   * the delivery that claimed it. Durable on return.
   */
  claimPush(push: PushKey, delivery: string, nowMs: number): string | null;
  /** Forget a push claim whose delivery did not act (refused pull, failed audit write). */
  releasePush(push: PushKey): void;
  close(): void;
}

/** A pushed commit: provider, repository (owner/name, case-insensitive), ref and `after`. */
export interface PushKey {
  provider: WebhookProvider;
  repo: string;
  ref: string;
  after: string;
}

/** Providers redeliver within days; keep ids well past that. */
const RETENTION_MS = 90 * 24 * 3600 * 1000;

export function createSqliteDeliveryStore(path: string): DeliveryStore {
  const db = openLocalStore(path, {
    synchronous: 'FULL',
    schema: [
      'CREATE TABLE IF NOT EXISTS deliveries (provider TEXT NOT NULL, id TEXT NOT NULL, received_at INTEGER NOT NULL, PRIMARY KEY (provider, id)) WITHOUT ROWID',
      'CREATE INDEX IF NOT EXISTS deliveries_received_at ON deliveries (received_at)',
      'CREATE TABLE IF NOT EXISTS pushes (provider TEXT NOT NULL, repo TEXT NOT NULL, ref TEXT NOT NULL, after TEXT NOT NULL, delivery TEXT NOT NULL, received_at INTEGER NOT NULL, PRIMARY KEY (provider, repo, ref, after)) WITHOUT ROWID',
      'CREATE INDEX IF NOT EXISTS pushes_received_at ON pushes (received_at)',
    ],
  });
  const insert = db.prepare('INSERT OR IGNORE INTO deliveries (provider, id, received_at) VALUES (?, ?, ?)');
  const remove = db.prepare('DELETE FROM deliveries WHERE provider = ? AND id = ?');
  const prune = db.prepare('DELETE FROM deliveries WHERE received_at < ?');
  const insertPush = db.prepare('INSERT OR IGNORE INTO pushes (provider, repo, ref, after, delivery, received_at) VALUES (?, ?, ?, ?, ?, ?)');
  const holderOf = db.prepare<[string, string, string, string], { delivery: string }>('SELECT delivery FROM pushes WHERE provider = ? AND repo = ? AND ref = ? AND after = ?');
  const removePush = db.prepare('DELETE FROM pushes WHERE provider = ? AND repo = ? AND ref = ? AND after = ?');
  const prunePushes = db.prepare('DELETE FROM pushes WHERE received_at < ?');
  const keyOf = (p: PushKey) => [p.provider, p.repo.toLowerCase(), p.ref, p.after.toLowerCase()] as const;
  return {
    claim(provider, id, nowMs) {
      prune.run(nowMs - RETENTION_MS);
      return insert.run(provider, id, nowMs).changes === 1;
    },
    release(provider, id) {
      remove.run(provider, id);
    },
    claimPush(push, delivery, nowMs) {
      prunePushes.run(nowMs - RETENTION_MS);
      if (insertPush.run(...keyOf(push), delivery, nowMs).changes === 1) return null;
      return holderOf.get(...keyOf(push))?.delivery ?? '';
    },
    releasePush(push) {
      removePush.run(...keyOf(push));
    },
    close() {
      if (db.open) db.close();
    },
  };
}
