/**
 * Cutting text to a service's limits. Cuts never split a surrogate pair (a lone surrogate makes
 * some services reject the whole message), and a cut is always visible (…), so nobody mistakes a
 * shortened log for the whole of it.
 */
const ELLIPSIS = '…';

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** The last `max` UTF-16 units, never starting inside a surrogate pair. */
export function tailOf(text: string, max: number): string {
  if (text.length <= max) return text;
  let start = text.length - max;
  if (isLowSurrogate(text.charCodeAt(start))) start += 1;
  return text.slice(start);
}

/** At most `max` UTF-16 units; a cut text ends with "…". */
export function truncateEnd(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let end = max - ELLIPSIS.length;
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return text.slice(0, Math.max(0, end)) + ELLIPSIS;
}

/** At most `max` UTF-16 units keeping the end (where a log's error is); a cut text starts with "…". */
export function truncateStart(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  return ELLIPSIS + tailOf(text, max - ELLIPSIS.length);
}

/** The end of `text` in at most `maxBytes` of UTF-8; a cut text starts with "…". */
export function truncateStartUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const budget = maxBytes - Buffer.byteLength(ELLIPSIS, 'utf8');
  if (budget <= 0) return '';
  // Walk back one code point at a time; only the kept part is visited.
  let start = text.length;
  let bytes = 0;
  while (start > 0) {
    let i = start - 1;
    if (isLowSurrogate(text.charCodeAt(i)) && i > 0 && isHighSurrogate(text.charCodeAt(i - 1))) i -= 1;
    const cp = text.codePointAt(i) ?? 0;
    const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes + size > budget) break;
    bytes += size;
    start = i;
  }
  return ELLIPSIS + text.slice(start);
}

/** One line, no control characters: safe for an HTTP header or a URL parameter. */
export function toSingleLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}
