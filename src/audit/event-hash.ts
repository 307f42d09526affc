import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';

/** prev_hash of the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields an event's hash covers; everything stored except the two hashes themselves. */
export interface HashedFields {
  seq: number;
  ts: string;
  type: string;
  runId: string | null;
  actor: string | null;
  ip: string | null;
  data: unknown;
}

/** hash = sha256_hex(prev_hash + "\n" + canonicalJSON({seq, ts, type, runId, actor, ip, data})) */
export function hashEvent(prevHash: string, fields: HashedFields): string {
  const { seq, ts, type, runId, actor, ip, data } = fields;
  const body = canonicalJson({ seq, ts, type, runId, actor, ip, data });
  return createHash('sha256').update(`${prevHash}\n${body}`, 'utf8').digest('hex');
}
