import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cryptoJitter, retryDelay } from './backoff.js';

const retry = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

describe('retryDelay', () => {
  it('doubles from the base with jitter in the upper half, capped, and stops after the last attempt', () => {
    const low = (n: number) => retryDelay(n, retry, undefined, () => 0);
    const high = (n: number) => retryDelay(n, retry, undefined, (max) => max - 1);
    expect([1, 2, 3, 4].map(low)).toEqual([250, 500, 1000, 2000]);
    expect([1, 2, 3, 4].map(high)).toEqual([500, 1000, 2000, 4000]);
    expect(low(5)).toBeNull();
    expect(retryDelay(20, { ...retry, attempts: 50 }, undefined, (m) => m - 1)).toBe(30_000);
  });

  it('honours a longer Retry-After and gives up when it exceeds maxDelayMs', () => {
    expect(retryDelay(1, retry, 7000, () => 0)).toBe(7000);
    expect(retryDelay(3, retry, 10, () => 0)).toBe(1000);
    expect(retryDelay(1, retry, 60_000, () => 0)).toBeNull();
  });

  it('with real crypto jitter stays within [exp/2, exp]', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 600_000 }), (attempt, base, maxDelay) => {
      const cfg = { attempts: 31, baseDelayMs: Math.min(base, maxDelay), maxDelayMs: maxDelay };
      const d = retryDelay(attempt, cfg, undefined, cryptoJitter) as number;
      const exp = Math.min(cfg.maxDelayMs, cfg.baseDelayMs * 2 ** (attempt - 1));
      expect(d).toBeGreaterThanOrEqual(Math.ceil(exp / 2));
      expect(d).toBeLessThanOrEqual(exp);
    }));
  });
});
