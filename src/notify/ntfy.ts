import type { AlertEvent, Severity } from './events.js';
import { sendRequest } from './http-send.js';
import type { Sink, SinkDeps } from './sink-types.js';
import { toSingleLine, truncateEnd, truncateStartUtf8 } from './text.js';

/**
 * ntfy publish: `POST <server>/<topic>`, the message as the body, `Title`, `Priority` (1–5) and
 * `Tags` as headers. ntfy turns bodies over 4096 bytes into attachments, so the message is cut
 * below that. fetch only allows Latin-1 header values; ntfy decodes RFC 2047 encoded-words, so a
 * non-ASCII title is sent as `=?UTF-8?B?…?=`.
 */
export const NTFY_MESSAGE_MAX_BYTES = 4000;
const TITLE_MAX = 250;

const PRIORITY: Record<Severity, number> = { info: 3, warning: 4, critical: 5 };
const SEVERITY_TAG: Record<Severity, string> = { info: 'white_check_mark', warning: 'warning', critical: 'rotating_light' };

export interface NtfyOptions {
  name: string;
  /** Server base URL, e.g. https://ntfy.sh */
  url: string;
  topic: string;
  timeoutMs: number;
  priority?: number | undefined;
  tags?: readonly string[] | undefined;
  token?: string | undefined;
}

export function encodeHeaderValue(text: string): string {
  const line = toSingleLine(text);
  if (/^[\x20-\x7e]*$/.test(line)) return line;
  return `=?UTF-8?B?${Buffer.from(line, 'utf8').toString('base64')}?=`;
}

export function buildNtfyRequest(opts: NtfyOptions, event: AlertEvent): { url: string; headers: Record<string, string>; body: string } {
  const url = new URL(opts.url);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${encodeURIComponent(opts.topic)}`;
  const tags = [event.recovered ? 'large_blue_circle' : SEVERITY_TAG[event.severity], ...(opts.tags ?? [])];
  const headers: Record<string, string> = {
    'content-type': 'text/plain; charset=utf-8',
    title: encodeHeaderValue(truncateEnd(event.title, TITLE_MAX)),
    priority: String(opts.priority ?? PRIORITY[event.severity]),
    tags: tags.join(','),
  };
  if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
  const fields = Object.entries(event.fields ?? {}).map(([k, v]) => `${k}: ${v}`);
  const text = [event.text, ...fields].filter((s) => s !== '').join('\n');
  // ≤ 3 UTF-8 bytes per UTF-16 unit, so the head leaves room for the log within the limit.
  const head = truncateEnd(text, 1000);
  const body = event.logExcerpt
    ? `${head}\n\n${truncateStartUtf8(event.logExcerpt, NTFY_MESSAGE_MAX_BYTES - Buffer.byteLength(head, 'utf8') - 2)}`
    : head;
  return { url: url.toString(), headers, body: body === '' ? event.title : body };
}

export function createNtfySink(opts: NtfyOptions, deps: SinkDeps): Sink {
  return {
    name: opts.name,
    type: 'ntfy',
    send: (event) => {
      const req = buildNtfyRequest(opts, event);
      return sendRequest(deps, { method: 'POST', ...req }, opts.timeoutMs);
    },
  };
}
