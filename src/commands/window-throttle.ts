/**
 * At most one "yes" per key per window, counting the "no"s in between. Used so a flood of bad
 * keys from one address writes one audit row per window (with the count), not one per request.
 * Memory is bounded: when full, entries whose window has passed are dropped, then the oldest.
 */
export interface WindowThrottle {
  take(key: string, now: number): { allowed: true; suppressed: number } | { allowed: false };
}

export function createWindowThrottle(windowMs: number, maxKeys = 10_000): WindowThrottle {
  const entries = new Map<string, { since: number; suppressed: number }>();
  const prune = (now: number) => {
    for (const [key, e] of entries) if (now - e.since >= windowMs) entries.delete(key);
    while (entries.size >= maxKeys) {
      const oldest = entries.keys().next();
      if (oldest.done) break;
      entries.delete(oldest.value);
    }
  };
  return {
    take(key, now) {
      const entry = entries.get(key);
      if (entry && now - entry.since < windowMs) {
        entry.suppressed += 1;
        return { allowed: false };
      }
      if (!entry && entries.size >= maxKeys) prune(now);
      entries.delete(key);
      entries.set(key, { since: now, suppressed: 0 });
      return { allowed: true, suppressed: entry?.suppressed ?? 0 };
    },
  };
}
