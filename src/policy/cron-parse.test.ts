import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesCron, parseCron, type CronFields, type CronSpec } from './cron.js';

function spec(expr: string): CronSpec {
  const r = parseCron(expr);
  if (!r.ok) throw new Error(`${expr}: ${r.error}`);
  return r.spec;
}

const at = (minute: number, hour: number, day: number, month: number, weekday: number): CronFields => ({ minute, hour, day, month, weekday });

describe('parseCron', () => {
  it.each([
    ['*/15 * * * *', 'minutes', [0, 15, 30, 45]],
    ['5/20 * * * *', 'minutes', [5, 25, 45]],
    ['1-10/3 * * * *', 'minutes', [1, 4, 7, 10]],
    ['0 1,13 * * *', 'hours', [1, 13]],
    ['0 0 * jan-mar *', 'months', [1, 2, 3]],
    ['0 0 * * mon-fri', 'weekdays', [1, 2, 3, 4, 5]],
    ['0 0 * * 7', 'weekdays', [0]],
    ['0 0 * * 5-7', 'weekdays', [5, 6, 0]],
    ['@hourly', 'minutes', [0]],
  ] as const)('%s → %s %j', (expr, field, values) => {
    expect([...spec(expr)[field]].sort((a, b) => a - b)).toEqual([...values].sort((a, b) => a - b));
  });

  it.each([
    ['* * * *', /expected 5 fields/],
    ['60 * * * *', /minute: .* outside 0-59/],
    ['* 24 * * *', /hour/],
    ['* * 0 * *', /day of month/],
    ['* * * 13 *', /month/],
    ['* * * * 8', /day of week/],
    ['*/0 * * * *', /step/],
    ['5-1 * * * *', /backwards/],
    ['1,,2 * * * *', /empty list item/],
    ['-1 * * * *', /minute/],
    ['a * * * *', /not a number/],
    ['@reboot', /unknown macro/],
    ['1/2/3 * * * *', /more than one/],
  ])('refuses %j', (expr, error) => {
    const r = parseCron(expr);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(error);
  });
});

describe('matchesCron', () => {
  it('matches every field', () => {
    const s = spec('30 2 * * *');
    expect(matchesCron(s, at(30, 2, 10, 4, 3))).toBe(true);
    expect(matchesCron(s, at(31, 2, 10, 4, 3))).toBe(false);
    expect(matchesCron(s, at(30, 3, 10, 4, 3))).toBe(false);
  });

  it('day of month OR day of week when both are restricted (Vixie cron)', () => {
    const s = spec('0 0 1 * mon');
    expect(matchesCron(s, at(0, 0, 1, 6, 3))).toBe(true); // the 1st, a Wednesday
    expect(matchesCron(s, at(0, 0, 9, 6, 1))).toBe(true); // a Monday
    expect(matchesCron(s, at(0, 0, 9, 6, 2))).toBe(false);
  });

  it('AND when only one of them is restricted', () => {
    expect(matchesCron(spec('0 0 1 * *'), at(0, 0, 2, 6, 1))).toBe(false);
    expect(matchesCron(spec('0 0 * * 1'), at(0, 0, 2, 6, 2))).toBe(false);
    // `*/2` restricts, `*/1` does not.
    expect(matchesCron(spec('0 0 */1 * 1'), at(0, 0, 2, 6, 2))).toBe(false);
  });

  it('property: `*` matches every valid time; a single minute matches exactly that minute', () => {
    const time = fc.record({ minute: fc.integer({ min: 0, max: 59 }), hour: fc.integer({ min: 0, max: 23 }), day: fc.integer({ min: 1, max: 31 }), month: fc.integer({ min: 1, max: 12 }), weekday: fc.integer({ min: 0, max: 6 }) });
    fc.assert(fc.property(time, fc.integer({ min: 0, max: 59 }), (t, m) => {
      expect(matchesCron(spec('* * * * *'), t)).toBe(true);
      expect(matchesCron(spec(`${m} * * * *`), t)).toBe(t.minute === m);
    }));
  });

  it('property: any input string parses or is refused, never throws', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => {
      const r = parseCron(s);
      expect(typeof r.ok).toBe('boolean');
    }));
    const field = fc.oneof(fc.constant('*'), fc.integer({ min: 0, max: 70 }).map(String), fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 70 })).map(([a, b]) => `${a}-${b}`), fc.integer({ min: 0, max: 30 }).map((n) => `*/${n}`));
    fc.assert(fc.property(fc.array(field, { minLength: 5, maxLength: 5 }), (parts) => {
      const r = parseCron(parts.join(' '));
      if (r.ok) for (const m of r.spec.minutes) expect(m >= 0 && m <= 59).toBe(true);
    }));
  });
});
