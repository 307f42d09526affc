import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createOutputCapture, measureCompleteUtf8 } from './output-capture.js';

const MARKER = /\n\[oresi: output truncated: (\d+) bytes dropped, first (\d+) and last (\d+) bytes kept\]\n/;

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
  it('keeps whole characters when a cut falls inside one', () => {
    const r = feed(4, Buffer.from('€€'), []);
    expect(r.truncated).toBe(true);
    expect(r.text).toBe('\n[oresi: output truncated: 6 bytes dropped, first 0 and last 0 bytes kept]\n');
    const r2 = feed(8, Buffer.from('€€€'), []);
    expect(r2.text).toBe('€\n[oresi: output truncated: 3 bytes dropped, first 3 and last 3 bytes kept]\n€');
  });

  it('keeps the head and the tail of a long output', () => {
    const text = 'START ' + 'x'.repeat(10_000) + ' END';
    const r = feed(100, Buffer.from(text), [7, 500, 9000]);
    expect(r.text.startsWith('START ')).toBe(true);
    expect(r.text.endsWith(' END')).toBe(true);
    expect(r.text).toContain(`${text.length - 100} bytes dropped`);
  });

  it('is exact at the cap: no marker when nothing was dropped', () => {
    expect(feed(3, Buffer.from('abc'), [1])).toMatchObject({ text: 'abc', truncated: false });
    expect(feed(0, Buffer.alloc(0), [])).toMatchObject({ text: '', truncated: false });
  });

  it('property: head and tail are whole-character prefix and suffix within the cap, however the stream is split', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.nat(64), fc.array(fc.nat(), { maxLength: 8 }), (s, cap, cuts) => {
        const bytes = Buffer.from(s, 'utf8');
        const r = feed(cap, bytes, cuts);
        const m = MARKER.exec(r.text);
        expect(r.truncated).toBe(bytes.length > cap);
        expect(m !== null).toBe(r.truncated);
        if (!m) {
          expect(r.text).toBe(s);
          return;
        }
        const body = r.text.slice(0, m.index);
        const end = r.text.slice(m.index + m[0].length);
        expect(s.startsWith(body)).toBe(true);
        expect(s.endsWith(end)).toBe(true);
        expect((body + end).includes('\uFFFD')).toBe(false);
        const kept = Buffer.byteLength(body) + Buffer.byteLength(end);
        expect(kept).toBeLessThanOrEqual(cap);
        expect(Number(m[2])).toBe(Buffer.byteLength(body));
        expect(Number(m[3])).toBe(Buffer.byteLength(end));
        expect(Number(m[1]) + kept).toBe(bytes.length);
        expect(kept).toBeGreaterThan(cap - 8);
        // What observers saw live is the head (possibly minus a split last character).
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
