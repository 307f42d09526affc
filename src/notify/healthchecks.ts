import type { AlertEvent } from './events.js';
import { sendRequest } from './http-send.js';
import type { Sink, SinkDeps } from './sink-types.js';
import { truncateStartUtf8 } from './text.js';

/**
 * Healthchecks.io pinging API on a check's ping URL (`https://hc-ping.com/<uuid>`):
 * `/start` when a run starts, the bare URL on success, `/fail` on failure, `/log` for anything
 * else (recorded, state unchanged). Healthchecks also alerts when a ping does *not* come within
 * the check's period + grace, so a scheduled run that never happened is caught too.
 * POST bodies are stored up to 100 kB, so the log tail is cut to that (keeping its end).
 */
export const HEALTHCHECKS_BODY_MAX_BYTES = 100_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface HealthchecksOptions {
  name: string;
  url: string;
  timeoutMs: number;
}

export type HealthchecksSignal = 'start' | 'success' | 'fail' | 'log';

export function healthchecksSignal(event: AlertEvent): HealthchecksSignal {
  if (event.kind === 'run.started') return 'start';
  if (event.status === 'ok') return 'success';
  if (event.status === 'problem') return 'fail';
  return 'log';
}

export function buildHealthchecksUrl(pingUrl: string, event: AlertEvent): string {
  const url = new URL(pingUrl);
  const signal = healthchecksSignal(event);
  const base = url.pathname.replace(/\/+$/, '');
  if (signal !== 'success') url.pathname = `${base}/${signal}`;
  // A run id lets Healthchecks pair /start with its finish and measure the run's duration.
  if (event.runId !== undefined && UUID.test(event.runId)) url.searchParams.set('rid', event.runId);
  return url.toString();
}

export function buildHealthchecksBody(event: AlertEvent): string {
  const head = [event.title, event.text, ...Object.entries(event.fields ?? {}).map(([k, v]) => `${k}: ${v}`)].join('\n');
  const body = event.logExcerpt ? `${head}\n\n--- log (end) ---\n${event.logExcerpt}` : head;
  // Keep the end: that is where a failing command says why.
  return truncateStartUtf8(body, HEALTHCHECKS_BODY_MAX_BYTES);
}

export function createHealthchecksSink(opts: HealthchecksOptions, deps: SinkDeps): Sink {
  return {
    name: opts.name,
    type: 'healthchecks',
    send: (event) => sendRequest(deps, {
      method: 'POST',
      url: buildHealthchecksUrl(opts.url, event),
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: buildHealthchecksBody(event),
    }, opts.timeoutMs),
  };
}
