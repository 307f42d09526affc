import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted recursively (by UTF-16 code units), no whitespace,
 * `undefined` members dropped. Two processes that build the same value with keys in another
 * order produce the same bytes, which hash chains and plan hashes rely on.
 *
 * `json` mode writes what JSON.stringify would for values JSON cannot carry (NaN → null,
 * functions dropped), so a hash matches a re-parse of stored text (the audit chain). `strict`
 * refuses them, for hashes where such a value can only be a bug (plans). Both throw TypeError
 * (a programming error, not a user-facing one) for what they cannot represent.
 */
export type CanonicalMode = 'json' | 'strict';

export function canonicalJson(value: unknown, mode: CanonicalMode = 'json'): string {
  const out = stringify(value, mode);
  if (out === undefined) throw new TypeError('value is not JSON-serialisable');
  return out;
}

export function hashCanonical(value: unknown, mode: CanonicalMode = 'strict'): string {
  return createHash('sha256').update(canonicalJson(value, mode), 'utf8').digest('hex');
}

function refuse(mode: CanonicalMode, what: string): undefined {
  if (mode === 'strict') throw new TypeError(`cannot hash ${what}`);
  return undefined;
}

function stringify(value: unknown, mode: CanonicalMode): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (Number.isFinite(value)) return JSON.stringify(value);
      return refuse(mode, 'a non-finite number') ?? 'null';
    case 'undefined':
      return undefined;
    case 'function':
    case 'symbol':
      return refuse(mode, `a value of type ${typeof value}`);
    case 'bigint':
      throw new TypeError('BigInt is not JSON-serialisable');
    default:
      break;
  }
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return stringify(withToJson.toJSON(), mode);
  if (Array.isArray(value)) return `[${value.map((item) => stringify(item, mode) ?? 'null').join(',')}]`;
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const member = stringify(record[key], mode);
    if (member !== undefined) members.push(`${JSON.stringify(key)}:${member}`);
  }
  return `{${members.join(',')}}`;
}
