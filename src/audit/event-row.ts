import type { AuditEvent, AuditEventType } from './types.js';

/** An `events` row exactly as SQLite returns it. */
export interface EventRow {
  seq: number;
  ts: string;
  type: string;
  run_id: string | null;
  actor: string | null;
  ip: string | null;
  /** Canonical JSON text of the event data. */
  data: string;
  prev_hash: string;
  hash: string;
}

export function toAuditEvent(row: EventRow): AuditEvent {
  return {
    seq: row.seq,
    ts: row.ts,
    type: row.type as AuditEventType,
    runId: row.run_id,
    actor: row.actor,
    ip: row.ip,
    data: JSON.parse(row.data) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
