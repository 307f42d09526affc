import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tailOf, toSingleLine, truncateEnd, truncateStart, truncateStartUtf8 } from './text.js';

const hasLoneSurrogate = (s: string) => /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
const text = fc.string({ unit: 'grapheme', maxLength: 300 });

describe('cutting text', () => {
  it('truncateEnd/truncateStart respect the limit, keep short text and never split a pair', () => {
    fc.assert(fc.property(text, fc.integer({ min: 1, max: 400 }), (s, max) => {
      for (const cut of [truncateEnd(s, max), truncateStart(s, max)]) {
        expect(cut.length).toBeLessThanOrEqual(max);
        expect(hasLoneSurrogate(cut)).toBe(false);
        if (s.length <= max) expect(cut).toBe(s);
        else expect(cut.includes('…')).toBe(true);
      }
    }));
  });

  it('truncateStartUtf8 fits the byte budget and keeps the end', () => {
    fc.assert(fc.property(text, fc.integer({ min: 4, max: 800 }), (s, max) => {
      const cut = truncateStartUtf8(s, max);
      expect(Buffer.byteLength(cut, 'utf8')).toBeLessThanOrEqual(max);
      expect(hasLoneSurrogate(cut)).toBe(false);
      if (Buffer.byteLength(s) <= max) expect(cut).toBe(s);
      else expect(s.endsWith(cut.slice(1))).toBe(true);
    }));
  });

  it('truncateStartUtf8 uses most of the budget (not a crude third)', () => {
    expect(Buffer.byteLength(truncateStartUtf8('a'.repeat(1000), 100))).toBe(100);
  });

  it('tailOf and toSingleLine', () => {
    expect(tailOf('abcdef', 3)).toBe('def');
    expect(tailOf('a\ud83d\ude00b', 2)).toBe('b');
    expect(toSingleLine('a\r\nb\u0000c\td')).toBe('a b c d');
  });
});
