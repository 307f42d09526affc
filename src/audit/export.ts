import type { AuditEvent, AuditStore } from './types.js';

const PAGE = 1000;
const MAX_DATA_CHARS = 200;

/**
 * Writes every event as one JSON line, in seq order, a page at a time so memory stays bounded.
 * Events hold data the caller already redacted; a CLI that prints them should still pass each
 * line through the redactor (redaction at the boundary). Returns the number of lines written.
 */
export function exportJsonl(store: Pick<AuditStore, 'list'>, write: (line: string) => void, pageSize = PAGE): number {
  let afterSeq = 0;
  let count = 0;
  for (;;) {
    const page = store.list({ afterSeq, limit: pageSize });
    for (const event of page) {
      write(JSON.stringify(event));
      count++;
    }
    const last = page[page.length - 1];
    if (!last || page.length < pageSize) return count;
    afterSeq = last.seq;
  }
}

/** One line for humans: `#12 2024-05-01T10:00:00.000Z run.started run=… actor=… ip=… {data}`. */
export function formatEvent(e: AuditEvent): string {
  const parts = [`#${e.seq}`, e.ts, e.type];
  if (e.runId !== null) parts.push(`run=${e.runId}`);
  if (e.actor !== null) parts.push(`actor=${e.actor}`);
  if (e.ip !== null) parts.push(`ip=${e.ip}`);
  const data = JSON.stringify(e.data);
  if (data !== '{}') {
    parts.push(data.length > MAX_DATA_CHARS ? `${data.slice(0, MAX_DATA_CHARS - 1)}…` : data);
  }
  // JSON escapes control characters in data, but ids and names are plain strings: keep it one
  // line, and keep terminal escape sequences out of an operator's terminal.
  return parts.join(' ').replace(/\p{Cc}|[\u2028\u2029]/gu, ' ');
}
