import { createWindowCounter } from './window-counter.js';

/**
 * At most one "yes" per key per window, counting the "no"s in between. Used so a flood of bad
 * keys from one address writes one audit row per window (with the count), not one per request.
 * Memory is bounded like the window counter it is built on.
 */
export interface WindowThrottle {
  take(key: string, now: number): { allowed: true; suppressed: number } | { allowed: false };
}

export function createWindowThrottle(windowMs: number, maxKeys = 10_000): WindowThrottle {
  const counter = createWindowCounter(windowMs, maxKeys);
  return {
    take(key, now) {
      const c = counter.hit(key, now);
      // The first event of a window is let through; the rest of the previous window was held back.
      return c.count === 1 ? { allowed: true, suppressed: Math.max(0, c.previous - 1) } : { allowed: false };
    },
  };
}
