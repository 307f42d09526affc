import { randomInt } from 'node:crypto';
import type { RetryConfig } from '../config/notify-schema.js';

export type Jitter = (maxExclusive: number) => number;

/** crypto.randomInt, never Math.random: jitter exists so many oresi instances do not retry in step. */
export const cryptoJitter: Jitter = (maxExclusive) => (maxExclusive <= 1 ? 0 : randomInt(0, Math.min(maxExclusive, 2 ** 47)));

/**
 * Delay before try `attempt + 1` after try `attempt` (1-based) failed, or null to give up.
 * Exponential with "equal jitter": half the capped delay fixed, half random, so a delay never
 * collapses to zero. A server's Retry-After wins when it asks for longer; one that asks for
 * more than maxDelayMs ends the retries rather than hammer it or hold the queue for hours.
 */
export function retryDelay(attempt: number, retry: RetryConfig, retryAfterMs: number | undefined, jitter: Jitter = cryptoJitter): number | null {
  if (attempt >= retry.attempts) return null;
  const exp = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** Math.min(attempt - 1, 30));
  const half = Math.floor(exp / 2);
  const backoff = exp - half + jitter(half + 1);
  if (retryAfterMs === undefined) return backoff;
  if (retryAfterMs > retry.maxDelayMs) return null;
  return Math.max(backoff, retryAfterMs);
}
