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
  close(): void;
}

/** Providers redeliver within days; keep ids well past that. */
const RETENTION_MS = 90 * 24 * 3600 * 1000;

export function createSqliteDeliveryStore(path: string): DeliveryStore {
  const db = openLocalStore(path, {
    synchronous: 'FULL',
    schema: [
      'CREATE TABLE IF NOT EXISTS deliveries (provider TEXT NOT NULL, id TEXT NOT NULL, received_at INTEGER NOT NULL, PRIMARY KEY (provider, id)) WITHOUT ROWID',
      'CREATE INDEX IF NOT EXISTS deliveries_received_at ON deliveries (received_at)',
    ],
  });
  const insert = db.prepare('INSERT OR IGNORE INTO deliveries (provider, id, received_at) VALUES (?, ?, ?)');
  const remove = db.prepare('DELETE FROM deliveries WHERE provider = ? AND id = ?');
  const prune = db.prepare('DELETE FROM deliveries WHERE received_at < ?');
  return {
    claim(provider, id, nowMs) {
      prune.run(nowMs - RETENTION_MS);
      return insert.run(provider, id, nowMs).changes === 1;
    },
    release(provider, id) {
      remove.run(provider, id);
    },
    close() {
      if (db.open) db.close();
    },
  };
}
