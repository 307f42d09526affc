import type Database from 'better-sqlite3';
import { canonicalJson } from '../canonical-json.js';
import { GENESIS_HASH, hashEvent } from './event-hash.js';
import { toAuditEvent, type EventRow } from './event-row.js';
import type { AuditEvent, AuditEventInput, Checkpoint } from './types.js';

export interface EventTable {
  /** Inserts the next event; the caller must already hold a write transaction. */
  insert(input: AuditEventInput): AuditEvent;
  list(opts: { afterSeq: number; limit: number; runId?: string | undefined }): AuditEvent[];
  head(): Checkpoint | null;
  /** Streams every row in seq order. */
  iterate(): IterableIterator<EventRow>;
}

export function createEventTable(db: Database.Database, now: () => number): EventTable {
  const stmt = prepareStatements(db);

  return {
    insert(input) {
      const last = stmt.head.get() as Checkpoint | undefined;
      const prevHash = last?.hash ?? GENESIS_HASH;
      // Round-trip through canonical JSON so the returned event, the stored text and the hash
      // all see the same value (undefined dropped, NaN → null, Dates → strings).
      const dataText = canonicalJson(input.data ?? {});
      const fields = {
        seq: (last?.seq ?? 0) + 1,
        ts: new Date(now()).toISOString(),
        type: input.type,
        runId: input.runId ?? null,
        actor: input.actor ?? null,
        ip: input.ip ?? null,
        data: JSON.parse(dataText) as Record<string, unknown>,
      };
      const hash = hashEvent(prevHash, fields);
      stmt.insert.run(fields.seq, fields.ts, fields.type, fields.runId, fields.actor, fields.ip, dataText, prevHash, hash);
      return { ...fields, prevHash, hash };
    },
    list({ afterSeq, limit, runId }) {
      const rows = (runId === undefined
        ? stmt.list.all(afterSeq, limit)
        : stmt.listByRun.all(runId, afterSeq, limit)) as EventRow[];
      return rows.map(toAuditEvent);
    },
    head() {
      return (stmt.head.get() as Checkpoint | undefined) ?? null;
    },
    iterate() {
      return stmt.all.iterate() as IterableIterator<EventRow>;
    },
  };
}

const COLUMNS = 'seq, ts, type, run_id, actor, ip, data, prev_hash, hash';

function prepareStatements(db: Database.Database) {
  return {
    head: db.prepare('SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1'),
    insert: db.prepare(`INSERT INTO events (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    list: db.prepare(`SELECT ${COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?`),
    listByRun: db.prepare(`SELECT ${COLUMNS} FROM events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?`),
    all: db.prepare(`SELECT ${COLUMNS} FROM events ORDER BY seq`),
  };
}
