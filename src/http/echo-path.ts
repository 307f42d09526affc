/** Characters an echoed path keeps as they are: RFC 3986 pchar and '/', no markup, quotes or controls. */
const KEPT = /^[A-Za-z0-9\-._~!$&()*+,;=:@/]$/;
const ESCAPE = /^%[0-9A-Fa-f]{2}/;

function percentEncode(ch: string): string {
  return [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

/**
 * A request path as it may appear in a response message: percent-encoded outside the safe set
 * (a `%` only when it starts a valid escape), so a URL crafted with markup, quotes or terminal
 * escapes is never sent back as written. At most `max` characters.
 */
export function echoPath(path: string, max = 200): string {
  let out = '';
  let i = 0;
  for (const ch of path) {
    if (out.length >= max) break;
    const kept = KEPT.test(ch) || (ch === '%' && ESCAPE.test(path.slice(i, i + 3)));
    out += kept ? ch : percentEncode(ch);
    i += ch.length;
  }
  return out.slice(0, max);
}
