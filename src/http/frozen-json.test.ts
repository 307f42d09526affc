import { describe, expect, it } from 'vitest';
import { jsonText } from './frozen-json.js';

describe('jsonText', () => {
  it('reuses the text of a frozen value and serialises a mutable one every time', () => {
    const frozen = Object.freeze({ a: 1, list: Object.freeze([1, 2]) });
    expect(jsonText(frozen)).toBe('{"a":1,"list":[1,2]}');
    expect(jsonText(frozen)).toBe(jsonText(frozen));
    const mutable: { a: number } = { a: 1 };
    expect(jsonText(mutable)).toBe('{"a":1}');
    mutable.a = 2;
    expect(jsonText(mutable)).toBe('{"a":2}');
  });
});
