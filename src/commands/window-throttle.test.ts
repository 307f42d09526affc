import { describe, expect, it } from 'vitest';
import { createWindowThrottle } from './window-throttle.js';

describe('createWindowThrottle', () => {
  it('allows once per key per window and reports what it held back', () => {
    const t = createWindowThrottle(10_000);
    expect(t.take('a', 0)).toEqual({ allowed: true, suppressed: 0 });
    expect(t.take('a', 5_000)).toEqual({ allowed: false });
    expect(t.take('a', 9_999)).toEqual({ allowed: false });
    expect(t.take('b', 9_999)).toEqual({ allowed: true, suppressed: 0 });
    expect(t.take('a', 10_000)).toEqual({ allowed: true, suppressed: 2 });
  });

  it('stays bounded when many keys arrive', () => {
    const t = createWindowThrottle(10_000, 3);
    for (const k of ['a', 'b', 'c', 'd']) expect(t.take(k, 0).allowed).toBe(true);
    // 'a' was evicted to make room, so it is allowed again (bounded memory beats perfect counting).
    expect(t.take('a', 1).allowed).toBe(true);
    expect(t.take('d', 1).allowed).toBe(false);
  });
});
