/**
 * Events per key in fixed windows, each starting at the key's first event of that window: the
 * one counter behind the HTTP rate limits, the audit throttles and the burst detector.
 *
 * Synchronous on purpose: it runs on every API request, and the promise-per-check limiter it
 * replaced (@fastify/rate-limit) cost more of the plan route than authentication did
 * (docs/performance.md). Memory is bounded: at `maxKeys`, a key whose window has passed is
 * dropped, else the one whose window started first.
 */
export interface WindowCount {
  /** Events in the key's current window, this one included (0 from `peek` when none). */
  count: number;
  /** Milliseconds until the current window ends (0 when there is none). */
  resetsInMs: number;
  /** Events the key's previous window counted, when it is still known (else 0). */
  previous: number;
}

export interface WindowCounter {
  /** Counts one event for `key` at `now` (milliseconds on a monotonic clock). */
  hit(key: string, now: number): WindowCount;
  /** The current window of `key`, without counting anything. */
  peek(key: string, now: number): WindowCount;
  readonly size: number;
}

interface Entry { since: number; count: number }

export function createWindowCounter(windowMs: number, maxKeys = 10_000): WindowCounter {
  const entries = new Map<string, Entry>();

  // Bounded work per call even under a flood of new keys. Keys sit in the order their windows
  // started, so expired ones are found first; a live one is evicted only when none of those is.
  const makeRoom = (now: number) => {
    let checked = 0;
    for (const [key, e] of entries) {
      if (entries.size < maxKeys || checked++ >= 32) break;
      if (now - e.since >= windowMs) entries.delete(key);
    }
    if (entries.size >= maxKeys) entries.delete(entries.keys().next().value as string);
  };

  return {
    hit(key, now) {
      const entry = entries.get(key);
      if (entry && now - entry.since < windowMs) {
        entry.count += 1;
        return { count: entry.count, resetsInMs: entry.since + windowMs - now, previous: 0 };
      }
      if (!entry && entries.size >= maxKeys) makeRoom(now);
      entries.delete(key);
      entries.set(key, { since: now, count: 1 });
      return { count: 1, resetsInMs: windowMs, previous: entry?.count ?? 0 };
    },
    peek(key, now) {
      const entry = entries.get(key);
      if (!entry || now - entry.since >= windowMs) return { count: 0, resetsInMs: 0, previous: entry?.count ?? 0 };
      return { count: entry.count, resetsInMs: entry.since + windowMs - now, previous: 0 };
    },
    get size() { return entries.size; },
  };
}

/** Whole seconds to wait before the window ends, at least 1 (the form of a Retry-After header). */
export function retryAfterSeconds(count: WindowCount): number {
  return Math.max(1, Math.ceil(count.resetsInMs / 1000));
}
