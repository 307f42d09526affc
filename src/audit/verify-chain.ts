import { AppError } from '../errors.js';
import { GENESIS_HASH, hashEvent } from './event-hash.js';
import type { EventRow } from './event-row.js';
import type { Checkpoint, VerifyResult } from './types.js';

const HASH_RE = /^[0-9a-f]{64}$/;

/**
 * Walks the chain from seq 1 and reports the first row that does not hold. Takes any iterable
 * so the store can stream rows (`.iterate()`): memory stays bounded however long the log is.
 *
 * The chain alone catches an edited or removed row; a consistent rewrite of the tail (or its
 * deletion) is only visible against a checkpoint kept somewhere else.
 */
export function verifyChain(rows: Iterable<EventRow>, checkpoint?: Checkpoint): VerifyResult {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let head: Checkpoint | null = null;
  for (const row of rows) {
    const problem = checkRow(row, expectedSeq, prevHash);
    if (problem) return { ok: false, seq: problem.seq, reason: problem.reason };
    if (checkpoint && row.seq === checkpoint.seq && row.hash !== checkpoint.hash) {
      return {
        ok: false,
        seq: row.seq,
        reason: `rewritten: hash at checkpoint seq ${row.seq} is ${row.hash}, checkpoint says ${checkpoint.hash}`,
      };
    }
    head = { seq: row.seq, hash: row.hash };
    prevHash = row.hash;
    expectedSeq = row.seq + 1;
  }
  const lastSeq = head?.seq ?? 0;
  if (checkpoint && lastSeq < checkpoint.seq) {
    return {
      ok: false,
      seq: lastSeq + 1,
      reason: `truncated: checkpoint at seq ${checkpoint.seq}, log ends at ${lastSeq}`,
    };
  }
  return { ok: true, count: lastSeq, head };
}

function checkRow(row: EventRow, expectedSeq: number, prevHash: string): { seq: number; reason: string } | null {
  if (row.seq !== expectedSeq) {
    return { seq: expectedSeq, reason: `deleted: seq ${expectedSeq} is missing (next row is seq ${row.seq})` };
  }
  if (row.prev_hash !== prevHash) {
    return { seq: row.seq, reason: `prev_hash mismatch: the row before seq ${row.seq} was removed or rewritten` };
  }
  let data: unknown;
  try {
    data = JSON.parse(row.data);
  } catch {
    return { seq: row.seq, reason: `edited: data of seq ${row.seq} is not valid JSON` };
  }
  const fields = { seq: row.seq, ts: row.ts, type: row.type, runId: row.run_id, actor: row.actor, ip: row.ip, data };
  if (hashEvent(row.prev_hash, fields) !== row.hash) {
    return { seq: row.seq, reason: `edited: hash mismatch at seq ${row.seq}` };
  }
  return null;
}

/** Validates a checkpoint that came from outside (a file, a flag): positive seq, 64 hex chars. */
export function parseCheckpoint(value: unknown): Checkpoint {
  const candidate = (typeof value === 'string' ? splitCheckpointText(value) : value) as Partial<Checkpoint> | null;
  const seq = candidate?.seq;
  const hash = candidate?.hash;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1 || typeof hash !== 'string' || !HASH_RE.test(hash)) {
    throw new AppError('E_BAD_REQUEST', 'checkpoint must be {seq: positive integer, hash: 64 lowercase hex} or "seq:hash"');
  }
  return { seq, hash };
}

function splitCheckpointText(text: string): unknown {
  const match = /^\s*(\d{1,15}):([0-9a-f]{64})\s*$/.exec(text);
  return match ? { seq: Number(match[1]), hash: match[2] } : null;
}

/** "seq:hash", the text form parseCheckpoint accepts. */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  return `${checkpoint.seq}:${checkpoint.hash}`;
}
