import { createHash, createHmac } from 'node:crypto';
import type { AlertEvent } from './events.js';
import { sendRequest } from './http-send.js';
import type { Sink, SinkDeps } from './sink-types.js';

/**
 * Generic JSON webhook. With a secret, every request carries
 *   X-Oresi-Timestamp: <unix seconds>
 *   X-Oresi-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>
 * The body repeats the timestamp, so the signature covers it: a receiver checks the signature
 * on the raw bytes, that both timestamps agree and that they are recent (replays), and uses
 * X-Oresi-Delivery (stable across retries of one alert) to drop duplicates.
 */
export const WEBHOOK_SCHEMA_VERSION = 1;

export interface WebhookOptions {
  name: string;
  url: string;
  timeoutMs: number;
  secret?: string | undefined;
}

export function signBody(secret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`;
}

/** Same alert, same id: lets a receiver drop a retry whose first attempt did arrive. */
export function deliveryId(event: AlertEvent): string {
  return createHash('sha256').update(JSON.stringify([event.kind, event.dedupeKey, event.at, event.runId ?? '', event.title])).digest('hex').slice(0, 32);
}

export function buildWebhookRequest(opts: WebhookOptions, event: AlertEvent, nowMs: number): { headers: Record<string, string>; body: string } {
  const timestamp = Math.floor(nowMs / 1000);
  const id = deliveryId(event);
  const body = JSON.stringify({ version: WEBHOOK_SCHEMA_VERSION, id, timestamp, event });
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'oresi-notify',
    'x-oresi-delivery': id,
    'x-oresi-timestamp': String(timestamp),
  };
  if (opts.secret !== undefined) headers['x-oresi-signature'] = signBody(opts.secret, body);
  return { headers, body };
}

export function createWebhookSink(opts: WebhookOptions, deps: SinkDeps): Sink {
  return {
    name: opts.name,
    type: 'webhook',
    send: (event) => sendRequest(deps, { method: 'POST', url: opts.url, ...buildWebhookRequest(opts, event, deps.now()) }, opts.timeoutMs),
  };
}
