import type { AlertEvent } from './events.js';
import type { SinkType } from '../config/notify-schema.js';

/**
 * A delivery outcome is data: the dispatcher decides about retries from `retryable` and
 * `retryAfterMs`. `reason` never contains the sink URL or a response body (both may hold secrets).
 */
export type SendResult =
  | { ok: true; status?: number }
  | { ok: false; retryable: boolean; reason: string; retryAfterMs?: number };

export interface Sink {
  readonly name: string;
  readonly type: SinkType;
  /** Receives an already redacted alert; never throws for network or HTTP errors. */
  send(event: AlertEvent): Promise<SendResult>;
}

/** What every sink needs from the outside world. */
export interface SinkDeps {
  fetch: typeof fetch;
  /** Wall clock, ms since the epoch (Retry-After dates, webhook timestamps). */
  now: () => number;
}
