import type { SendResult, SinkDeps } from './sink-types.js';

export interface OutgoingRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * One HTTP request with a timeout, classified for the retry loop: 2xx delivered; 408, 425, 429
 * and 5xx worth retrying (429 with its Retry-After); other 4xx final (a deleted webhook or a
 * malformed message does not improve by asking again); network errors and timeouts retryable.
 */
export async function sendRequest(deps: SinkDeps, req: OutgoingRequest, timeoutMs: number): Promise<SendResult> {
  let res: Response;
  try {
    res = await deps.fetch(req.url, {
      method: req.method,
      headers: req.headers ?? {},
      ...(req.body !== undefined ? { body: req.body } : {}),
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    return { ok: false, retryable: true, reason: describeFetchError(err, timeoutMs) };
  }
  // Free the connection; the body is not needed (and may echo what we sent).
  await res.body?.cancel().catch(() => undefined);
  if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
  const reason = `HTTP ${res.status}`;
  if (res.status === 429 || res.status === 503) {
    const after = parseRetryAfter(res.headers.get('retry-after'), deps.now());
    return { ok: false, retryable: true, reason, ...(after !== undefined ? { retryAfterMs: after } : {}) };
  }
  if (res.status === 408 || res.status === 425 || res.status >= 500) return { ok: false, retryable: true, reason };
  return { ok: false, retryable: false, reason };
}

/** Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3), in ms from now. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

function describeFetchError(err: unknown, timeoutMs: number): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return `timeout after ${timeoutMs} ms`;
    // undici wraps the socket error as `cause`; its code (ECONNREFUSED…) is useful and URL-free.
    const cause = (err as { cause?: unknown }).cause;
    const code = cause && typeof cause === 'object' && 'code' in cause ? String((cause as { code: unknown }).code) : undefined;
    return code ? `network error (${code})` : `network error (${err.name})`;
  }
  return 'network error';
}
