import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesCron, parseCron } from './cron.js';
import { cronFieldsAt } from './zoned-time.js';
import { checkChangeWindows } from './windows.js';

const at = (iso: string) => cronFieldsAt(Date.parse(iso), 'UTC');
const expr = (s: string) => {
  const p = parseCron(s);
  if (!p.ok) throw new Error(p.error);
  return p.spec;
};

describe('cron, as change windows use it', () => {
  it.each([
    ['* * * * *', '2026-11-29T12:34:00Z', true],
    ['30 12 * * *', '2026-11-29T12:30:00Z', true],
    ['30 12 * * *', '2026-11-29T12:31:00Z', false],
    ['*/15 * * * *', '2026-11-29T12:45:00Z', true],
    ['*/15 * * * *', '2026-11-29T12:46:00Z', false],
    ['0 9-17 * * 1-5', '2026-11-30T10:00:00Z', true], // Monday
    ['0 9-17 * * 1-5', '2026-11-29T10:00:00Z', false], // Sunday
    ['* * * * 7', '2026-11-29T10:00:00Z', true], // 7 is Sunday too
    ['* * 1 * 1', '2026-12-01T00:00:00Z', true], // dom matches (Tuesday): either day field
    ['* * 1 * 1', '2026-11-30T00:00:00Z', true], // dow matches (Monday)
    ['* * 1 * 1', '2026-12-02T00:00:00Z', false],
    ['0 0 1,15 * *', '2026-11-15T00:00:00Z', true],
  ])('%s at %s → %s', (s, iso, want) => {
    expect(matchesCron(expr(s), at(iso))).toBe(want);
  });

  it.each(['* * * *', '60 * * * *', '* 24 * * *', '* * 0 * *', '* * * 13 *', '5-1 * * * *', '*/0 * * * *', 'a * * * *', '1,,2 * * * *'])('rejects %s', (s) => {
    expect(parseCron(s).ok).toBe(false);
  });

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string(), (s) => { parseCron(s); }), { numRuns: 2000 });
  });

  it.each(['__proto__', 'constructor', 'toString', '@__proto__'])('a prototype key like %s is refused, not looked up as a macro', (s) => {
    expect(parseCron(s).ok).toBe(false);
  });

  it('respects time zones', () => {
    // 23:30 UTC is 00:30 the next day in Berlin (UTC+1 in November).
    expect(matchesCron(expr('30 0 * * *'), cronFieldsAt(Date.parse('2026-11-29T23:30:00Z'), 'Europe/Berlin'))).toBe(true);
  });
});

describe('checkChangeWindows', () => {
  const now = Date.parse('2026-11-29T12:00:00Z'); // Sunday noon
  it('is open without windows', () => expect(checkChangeWindows([], now, 'UTC')).toEqual({ open: true }));
  it('deny wins', () => {
    const d = checkChangeWindows([{ allow: ['* * * * *'], deny: ['* * * * 0'] }], now, 'UTC');
    expect(d.open).toBe(false);
    if (!d.open) expect(d.reason).toContain('deny window "* * * * 0"');
  });
  it('outside every allow window is closed, naming them', () => {
    const d = checkChangeWindows([{ allow: ['* 20-23 * * *'] }], now, 'UTC');
    expect(d).toEqual({ open: false, reason: 'changes are allowed only in "* 20-23 * * *"; it is 12:00 UTC' });
  });
  it('every block applies', () => {
    expect(checkChangeWindows([{ allow: ['* 12 * * *'] }, { deny: ['0 12 * * *'] }], now, 'UTC').open).toBe(false);
  });
});
