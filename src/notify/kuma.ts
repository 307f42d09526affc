import type { AlertEvent } from './events.js';
import { sendRequest } from './http-send.js';
import type { Sink, SinkDeps } from './sink-types.js';
import { toSingleLine, truncateEnd } from './text.js';

/**
 * Uptime Kuma push monitor: GET `<base>/api/push/<token>?status=up|down&msg=…&ping=…`.
 * The URL Kuma shows already carries `?status=up&msg=OK&ping=`; those three are replaced,
 * anything else in the query is kept.
 */
export const KUMA_MSG_MAX = 250;

export interface KumaOptions {
  name: string;
  url: string;
  timeoutMs: number;
}

/** Down for failures and critical alerts; up for success and information. */
export function kumaStatus(event: AlertEvent): 'up' | 'down' {
  return event.status === 'problem' || event.severity === 'critical' ? 'down' : 'up';
}

export function buildKumaUrl(pushUrl: string, event: AlertEvent): string {
  const url = new URL(pushUrl);
  url.searchParams.set('status', kumaStatus(event));
  url.searchParams.set('msg', truncateEnd(toSingleLine(event.title), KUMA_MSG_MAX));
  if (event.durationMs !== undefined) url.searchParams.set('ping', String(Math.round(event.durationMs)));
  else url.searchParams.delete('ping');
  return url.toString();
}

export function createKumaSink(opts: KumaOptions, deps: SinkDeps): Sink {
  return {
    name: opts.name,
    type: 'kuma',
    send: (event) => sendRequest(deps, { method: 'GET', url: buildKumaUrl(opts.url, event) }, opts.timeoutMs),
  };
}
