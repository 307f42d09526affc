import type Database from 'better-sqlite3';
import { AppError } from '../errors.js';
import { decodeRunCursor, encodeRunCursor } from './run-cursor.js';
import type { RunQuery } from './types.js';
import type { RunRow, RunState } from '../model.js';

export const MAX_RUNS_PAGE = 200;

interface RunRecord {
  id: string;
  intent: string;
  stack: string;
  state: string;
  requested_by: string;
  source: string;
  reason: string | null;
  params: string;
  plan_hash: string;
  plan: string;
  steps: string;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

/** RunRow field → column, and whether it is stored as JSON. The fixed map is also what keeps
 *  caller keys out of the SQL text. */
const FIELDS: Record<Exclude<keyof RunRow, 'id'>, { column: string; json: boolean }> = {
  intent: { column: 'intent', json: false },
  stack: { column: 'stack', json: false },
  state: { column: 'state', json: false },
  requestedBy: { column: 'requested_by', json: false },
  source: { column: 'source', json: false },
  reason: { column: 'reason', json: false },
  params: { column: 'params', json: true },
  planHash: { column: 'plan_hash', json: false },
  plan: { column: 'plan', json: true },
  steps: { column: 'steps', json: true },
  createdAt: { column: 'created_at', json: false },
  updatedAt: { column: 'updated_at', json: false },
  finishedAt: { column: 'finished_at', json: false },
};

export interface RunTable {
  insert(run: RunRow): void;
  /** Returns false when no run has that id. */
  update(id: string, patch: Partial<Omit<RunRow, 'id'>>, updatedAt: string): boolean;
  get(id: string): RunRow | undefined;
  list(q: RunQuery): { runs: RunRow[]; nextCursor: string | null };
  /** Oldest first. */
  inStates(states: readonly RunState[]): { id: string; state: RunState }[];
}

export function createRunTable(db: Database.Database): RunTable {
  const insertStmt = db.prepare(`INSERT INTO runs (id, intent, stack, state, requested_by, source, reason, params,
    plan_hash, plan, steps, created_at, updated_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const getStmt = db.prepare('SELECT * FROM runs WHERE id = ?');

  return {
    insert(run) {
      insertStmt.run(run.id, run.intent, run.stack, run.state, run.requestedBy, run.source, run.reason,
        JSON.stringify(run.params), run.planHash, JSON.stringify(run.plan ?? null), JSON.stringify(run.steps),
        run.createdAt, run.updatedAt, run.finishedAt);
    },
    update(id, patch, updatedAt) {
      const sets: string[] = [];
      const values: unknown[] = [];
      for (const [key, spec] of Object.entries(FIELDS)) {
        if (key === 'updatedAt' || !(key in patch)) continue;
        const value = (patch as Record<string, unknown>)[key];
        if (value === undefined) continue;
        sets.push(`${spec.column} = ?`);
        values.push(spec.json ? JSON.stringify(value) : value);
      }
      sets.push('updated_at = ?');
      values.push(updatedAt, id);
      return db.prepare(`UPDATE runs SET ${sets.join(', ')} WHERE id = ?`).run(...values).changes > 0;
    },
    get(id) {
      const record = getStmt.get(id) as RunRecord | undefined;
      return record && toRunRow(record);
    },
    list(q) {
      return listRuns(db, q);
    },
    inStates(states) {
      const marks = states.map(() => '?').join(', ');
      return db.prepare(`SELECT id, state FROM runs WHERE state IN (${marks}) ORDER BY created_at, id`)
        .all(...states) as { id: string; state: RunState }[];
    },
  };
}

function listRuns(db: Database.Database, q: RunQuery): { runs: RunRow[]; nextCursor: string | null } {
  if (!Number.isSafeInteger(q.limit) || q.limit < 1 || q.limit > MAX_RUNS_PAGE) {
    throw new AppError('E_BAD_REQUEST', `runs limit must be an integer from 1 to ${MAX_RUNS_PAGE}`);
  }
  const where: string[] = [];
  const values: unknown[] = [];
  for (const key of ['state', 'intent', 'stack'] as const) {
    if (q[key] === undefined) continue;
    where.push(`${key} = ?`);
    values.push(q[key]);
  }
  if (q.cursor !== undefined) {
    const after = decodeRunCursor(q.cursor);
    where.push('(created_at < ? OR (created_at = ? AND id < ?))');
    values.push(after.createdAt, after.createdAt, after.id);
  }
  const sql = `SELECT * FROM runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY created_at DESC, id DESC LIMIT ?`;
  // One extra row tells whether another page exists without a COUNT.
  const records = db.prepare(sql).all(...values, q.limit + 1) as RunRecord[];
  const page = records.slice(0, q.limit).map(toRunRow);
  const last = page[page.length - 1];
  const nextCursor = records.length > q.limit && last ? encodeRunCursor(last) : null;
  return { runs: page, nextCursor };
}

function toRunRow(r: RunRecord): RunRow {
  return {
    id: r.id,
    intent: r.intent,
    stack: r.stack,
    state: r.state as RunState,
    requestedBy: r.requested_by,
    source: r.source,
    reason: r.reason,
    params: JSON.parse(r.params) as Record<string, unknown>,
    planHash: r.plan_hash,
    plan: JSON.parse(r.plan) as unknown,
    steps: JSON.parse(r.steps) as unknown[],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
  };
}
