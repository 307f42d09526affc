import { describe, expect, it } from 'vitest';
import { createWindowCounter, retryAfterSeconds } from './window-counter.js';

describe('createWindowCounter', () => {
  it('counts per key within a window that starts at the first event', () => {
    const c = createWindowCounter(60_000);
    expect(c.hit('a', 1_000)).toEqual({ count: 1, resetsInMs: 60_000, previous: 0 });
    expect(c.hit('a', 31_000)).toEqual({ count: 2, resetsInMs: 30_000, previous: 0 });
    expect(c.hit('b', 31_000).count).toBe(1);
    expect(c.peek('a', 60_999)).toEqual({ count: 2, resetsInMs: 1, previous: 0 });
    // The window ends exactly windowMs after its first event; the next one reports the old count.
    expect(c.hit('a', 61_000)).toEqual({ count: 1, resetsInMs: 60_000, previous: 2 });
  });

  it('peek counts nothing and knows an ended window only as previous', () => {
    const c = createWindowCounter(1_000);
    expect(c.peek('a', 0)).toEqual({ count: 0, resetsInMs: 0, previous: 0 });
    c.hit('a', 0);
    expect(c.peek('a', 500).count).toBe(1);
    expect(c.peek('a', 500).count).toBe(1);
    expect(c.peek('a', 1_000)).toEqual({ count: 0, resetsInMs: 0, previous: 1 });
  });

  it('stays bounded: expired keys go first, then the oldest window', () => {
    const c = createWindowCounter(1_000, 3);
    c.hit('old', 0);
    c.hit('a', 900);
    c.hit('b', 900);
    c.hit('c', 1_500); // 'old' expired: dropped, nothing live is lost
    expect(c.size).toBe(3);
    expect(c.peek('a', 1_500).count).toBe(1);
    c.hit('a', 1_600);
    c.hit('d', 1_700); // full with live keys: 'a' (the oldest window) goes
    expect(c.peek('a', 1_700).count).toBe(0);
    expect(c.peek('b', 1_700).count).toBe(1);
    expect(c.peek('d', 1_700).count).toBe(1);
    expect(c.size).toBe(3);
  });

  it('Retry-After is whole seconds, never 0', () => {
    expect(retryAfterSeconds({ count: 5, resetsInMs: 1, previous: 0 })).toBe(1);
    expect(retryAfterSeconds({ count: 5, resetsInMs: 1_001, previous: 0 })).toBe(2);
    expect(retryAfterSeconds({ count: 0, resetsInMs: 0, previous: 0 })).toBe(1);
  });
});
