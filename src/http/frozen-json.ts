const texts = new WeakMap<object, string>();

/**
 * The JSON text of a response body. A frozen value (a cached plan: plan-cache.ts deep-freezes
 * what it keeps) cannot change, so its text is made once and reused by every request that gets
 * the same object; anything else is serialised each time.
 */
export function jsonText(value: object): string {
  const known = texts.get(value);
  if (known !== undefined) return known;
  const text = JSON.stringify(value);
  if (Object.isFrozen(value)) texts.set(value, text);
  return text;
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
