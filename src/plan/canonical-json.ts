import { createHash } from 'node:crypto';
import { AppError } from '../errors.js';

/**
 * JSON with object keys sorted (by UTF-16 code units, as Array.prototype.sort does), no
 * whitespace, and undefined-valued keys left out. Two equal plans give the same bytes, which is
 * what approvals bound to a plan hash rely on.
 */
export function toCanonicalJson(value: unknown): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new AppError('E_INTERNAL', 'cannot hash a non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(toCanonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const parts = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${toCanonicalJson(record[key])}`);
    return `{${parts.join(',')}}`;
  }
  throw new AppError('E_INTERNAL', `cannot hash a value of type ${typeof value}`);
}

export function hashCanonical(value: unknown): string {
  return createHash('sha256').update(toCanonicalJson(value), 'utf8').digest('hex');
}
