import type { z } from 'zod';

/**
 * One JSON GET against a PR provider, with every failure (network, timeout, non-2xx, a body
 * that is not the documented shape) returned as a reason rather than thrown: the verifier
 * fails closed on any of them.
 */

export interface HttpDeps {
  fetch: typeof fetch;
  timeoutMs: number;
  /** Sent on every request: Authorization, Accept, User-Agent. */
  headers: Record<string, string>;
}

export type HttpResult<T> =
  | { ok: true; status: number; data: T; headers: Headers }
  | { ok: false; status?: number; reason: string };

/** Bodies past this are refused: no PR page is this large, and we hold it in memory. */
const MAX_BODY_CHARS = 8 * 1024 * 1024;

/**
 * GETs `url`; `acceptStatus` lists extra non-2xx codes that are answers, not failures
 * (a 404 from a team-membership check means "not a member").
 */
export async function getJson<S extends z.ZodType>(
  deps: HttpDeps,
  url: string,
  schema: S,
  acceptStatus: readonly number[] = [],
): Promise<HttpResult<z.infer<S>>> {
  const what = describeUrl(url);
  let res: Response;
  let text: string;
  try {
    // One signal covers connecting, headers and the body: a server that stalls mid-body times out too.
    const signal = AbortSignal.timeout(deps.timeoutMs);
    res = await deps.fetch(url, { method: 'GET', headers: deps.headers, signal, redirect: 'error' });
    text = await res.text();
  } catch (err) {
    const name = err instanceof Error ? err.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') return { ok: false, reason: `${what} did not answer within ${deps.timeoutMs} ms` };
    return { ok: false, reason: `${what} failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (acceptStatus.includes(res.status)) return { ok: true, status: res.status, data: undefined as z.infer<S>, headers: res.headers };
  if (res.status < 200 || res.status > 299) {
    return { ok: false, status: res.status, reason: `${what} answered HTTP ${res.status}${hintFor(res.status)}` };
  }
  if (text.length > MAX_BODY_CHARS) return { ok: false, status: res.status, reason: `${what} answered with an oversized body` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, status: res.status, reason: `${what} answered with a body that is not JSON` };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
    return { ok: false, status: res.status, reason: `${what} answered with an unexpected shape${where}: ${first?.message ?? 'invalid'}` };
  }
  return { ok: true, status: res.status, data: parsed.data, headers: res.headers };
}

/** The rel="next" target of an RFC 8288 Link header, if any. */
export function parseNextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (!m) continue;
    const params = m[2] ?? '';
    if (/(^|;)\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?\s*(;|$)/i.test(params)) return m[1];
  }
  return undefined;
}

/** Path only: query strings never carry secrets here, but keep messages short and stable. */
function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `GET ${u.pathname}`;
  } catch {
    return 'GET <invalid url>';
  }
}

function hintFor(status: number): string {
  if (status === 401) return ' (the token was refused)';
  if (status === 403) return ' (forbidden or rate limited)';
  if (status === 404) return ' (not found, or the token cannot see it)';
  return '';
}
