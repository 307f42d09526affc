import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createOutputCapture, measureCompleteUtf8 } from './output-capture.js';

const MARKER = /\n\[oresi: output truncated: (\d+) bytes kept, (\d+) bytes dropped\]$/;

/** Feeds `bytes` in pieces cut at the given offsets, as a pipe might deliver them. */
function feed(cap: number, bytes: Buffer, cuts: number[]) {
  const capture = createOutputCapture(cap);
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let live = '';
  let at = 0;
  for (const p of [...points, bytes.length]) {
    live += capture.push(bytes.subarray(at, p));
    at = p;
  }
  return { live, ...capture.finish() };
}

describe('createOutputCapture', () => {
  it('keeps whole characters when the cap falls inside one', () => {
    const r = feed(4, Buffer.from('€€'), []);
    expect(r.truncated).toBe(true);
    expect(r.text).toBe('€\n[oresi: output truncated: 3 bytes kept, 3 bytes dropped]');
  });

  it('is exact at the cap: no marker when nothing was dropped', () => {
    expect(feed(3, Buffer.from('abc'), [1])).toMatchObject({ text: 'abc', truncated: false });
    expect(feed(0, Buffer.alloc(0), [])).toMatchObject({ text: '', truncated: false });
  });

  it('property: kept text is a whole-character prefix within the cap, however the stream is split', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.nat(64), fc.array(fc.nat(), { maxLength: 8 }), (s, cap, cuts) => {
        const bytes = Buffer.from(s, 'utf8');
        const r = feed(cap, bytes, cuts);
        const m = MARKER.exec(r.text);
        expect(r.truncated).toBe(bytes.length > cap);
        expect(m !== null).toBe(r.truncated);
        const body = m ? r.text.slice(0, m.index) : r.text;
        expect(s.startsWith(body)).toBe(true);
        expect(body.includes('\uFFFD')).toBe(false);
        const kept = Buffer.byteLength(body);
        expect(kept).toBeLessThanOrEqual(cap);
        if (m) {
          expect(Number(m[1])).toBe(kept);
          expect(Number(m[1]) + Number(m[2])).toBe(bytes.length);
          expect(kept).toBeGreaterThan(cap - 4);
        }
        // What observers saw live is the kept text (possibly minus a split last character).
        expect(body.startsWith(r.live)).toBe(true);
      }),
    );
  });
});

describe('measureCompleteUtf8', () => {
  it.each([
    ['', 0],
    ['61', 1],
    ['e282', 0],
    ['e282ac', 3],
    ['61f09f98', 1],
    ['61f09f9880', 5],
    ['c3', 0],
  ])('%s → %i', (hex, len) => {
    expect(measureCompleteUtf8(Buffer.from(hex, 'hex'))).toBe(len);
  });
});
