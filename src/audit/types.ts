import type { RunRow, RunState } from '../model.js';
/**
 * The audit trail: append-only events, each carrying the SHA-256 of the previous one.
 * Run rows are a queryable projection; the events are the record.
 */
export type AuditEventType =
  | 'config.loaded'
  | 'auth.failed'
  | 'key.used'
  | 'run.requested'
  | 'run.rejected'
  | 'run.started'
  | 'step.started'
  | 'step.finished'
  /** One process of a composite step (rollout, rollback): before it spawns, and with its exit. */
  | 'step.command'
  | 'run.finished'
  | 'run.cancel_requested'
  | 'run.interrupted'
  /** A process group of an interrupted run that outlived its oresi process, found at start-up. */
  | 'run.orphan_found'
  /** How that orphan ended (recovery.orphans), after which its stack locks are released. */
  | 'run.orphan_ended'
  | 'approval.requested'
  | 'approval.granted'
  | 'approval.denied'
  | 'notify.delivered'
  | 'notify.failed'
  | 'webhook.received'
  /** What a webhook delivery led to (pull result, runs requested); written after webhook.received. */
  | 'webhook.processed'
  | 'security.event';

export interface AuditEventInput {
  type: AuditEventType;
  runId?: string | undefined;
  /** Principal name, or "system". */
  actor?: string | undefined;
  /** Client IP as decided by the edge (socket peer or trusted-proxy XFF). */
  ip?: string | undefined;
  /** Already redacted by the caller. */
  data?: Record<string, unknown>;
}

export interface AuditEvent extends Required<Omit<AuditEventInput, 'runId' | 'actor' | 'ip'>> {
  seq: number;
  /** ISO 8601 UTC. */
  ts: string;
  runId: string | null;
  actor: string | null;
  ip: string | null;
  prevHash: string;
  hash: string;
}

export interface Checkpoint {
  seq: number;
  hash: string;
}

export type VerifyResult =
  | { ok: true; count: number; head: Checkpoint | null }
  | { ok: false; seq: number; reason: string };

export interface RunQuery {
  state?: RunState;
  intent?: string;
  stack?: string;
  limit: number;
  /** Opaque cursor from a previous page. */
  cursor?: string;
}

export interface AuditStore {
  /** Durably appends (WAL, synchronous=FULL). Rejects with AppError E_AUDIT_UNAVAILABLE. */
  append(event: AuditEventInput): Promise<AuditEvent>;
  list(opts: { afterSeq?: number; limit: number; runId?: string }): AuditEvent[];
  verify(checkpoint?: Checkpoint): VerifyResult;
  checkpoint(): Checkpoint | null;
  /** Round-trips a write; used by readiness. */
  ping(): Promise<void>;

  insertRun(run: RunRow): Promise<void>;
  updateRun(id: string, patch: Partial<Omit<RunRow, 'id'>>): Promise<void>;
  getRun(id: string): RunRow | undefined;
  listRuns(q: RunQuery): { runs: RunRow[]; nextCursor: string | null };
  /**
   * Marks runs left `running`/`approved` by a crash as `interrupted`; returns their ids. Runs in
   * `stillRunning` (executing in another live oresi process) are left alone.
   */
  markInterrupted(stillRunning?: ReadonlySet<string>): Promise<string[]>;
  close(): void;
}
