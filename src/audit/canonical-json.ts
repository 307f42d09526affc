/**
 * Canonical JSON: object keys sorted recursively, no whitespace, `undefined` members dropped
 * (as JSON.stringify does). Two processes that build the same value with keys in a different
 * order must produce the same bytes, or the hash chain would depend on insertion order.
 */
export function canonicalJson(value: unknown): string {
  const out = stringifyCanonical(value);
  if (out === undefined) throw new TypeError('value is not JSON-serialisable');
  return out;
}

function stringifyCanonical(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      // JSON has no NaN/Infinity; JSON.stringify writes null, and the chain must match what
      // a re-parse of the stored text yields.
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'bigint':
      throw new TypeError('BigInt is not JSON-serialisable');
    default:
      break;
  }
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return stringifyCanonical(withToJson.toJSON());
  if (Array.isArray(value)) {
    return `[${value.map((item) => stringifyCanonical(item) ?? 'null').join(',')}]`;
  }
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const member = stringifyCanonical(record[key]);
    if (member !== undefined) members.push(`${JSON.stringify(key)}:${member}`);
  }
  return `{${members.join(',')}}`;
}
