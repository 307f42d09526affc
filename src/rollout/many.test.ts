import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rolloutMany } from './many.js';

describe('rolloutMany', () => {
  it('never runs more than `concurrency` at once and answers in input order', async () => {
    await fc.assert(fc.asyncProperty(
      fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/), { maxLength: 20 }),
      fc.integer({ min: 1, max: 16 }),
      async (stacks, concurrency) => {
        let active = 0;
        let peak = 0;
        const results = await rolloutMany(stacks, concurrency, async (s) => {
          active += 1;
          peak = Math.max(peak, active);
          await new Promise((r) => setImmediate(r));
          active -= 1;
          return s.toUpperCase();
        });
        expect(peak).toBeLessThanOrEqual(concurrency);
        expect(results).toEqual(stacks.map((s) => ({ stack: s, ok: true, value: s.toUpperCase() })));
      },
    ), { numRuns: 50 });
  });

  it('keeps one stack failure from stopping the others', async () => {
    const seen: string[] = [];
    const results = await rolloutMany(['a', 'b', 'c'], 1, async (s) => {
      seen.push(s);
      if (s === 'b') throw new Error('boom');
      return s;
    });
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(results[1]).toMatchObject({ stack: 'b', ok: false, error: expect.objectContaining({ message: 'boom' }) });
    expect(results[2]).toEqual({ stack: 'c', ok: true, value: 'c' });
  });

  it('runs a stack named twice once', async () => {
    let calls = 0;
    const results = await rolloutMany(['a', 'a'], 2, async () => ++calls);
    expect(calls).toBe(1);
    expect(results).toHaveLength(1);
  });

  it.each([0, -1, 1.5, 17, Number.NaN])('rejects concurrency %s', async (c) => {
    await expect(rolloutMany(['a'], c, async () => 1)).rejects.toMatchObject({ code: 'E_PARAM_INVALID' });
  });
});
