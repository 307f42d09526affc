import { countKumaStatuses, type KumaCounts } from './kuma-text.js';

export interface KumaSource {
  /** Kuma's base URL; `/metrics` is appended. */
  url: string;
  apiKey?: string;
  timeoutMs: number;
}

export type KumaResult = { ok: true; counts: KumaCounts } | { ok: false; reason: string };

/** A metrics page larger than this is not Kuma's (thousands of monitors fit easily). */
const MAX_BYTES = 8 * 1024 * 1024;

/** Never throws: an unreachable Kuma is reported as data next to the host's own metrics. */
export async function fetchKumaCounts(fetchFn: typeof fetch, source: KumaSource): Promise<KumaResult> {
  const url = new URL('metrics', source.url.endsWith('/') ? source.url : `${source.url}/`);
  const headers: Record<string, string> = { accept: 'text/plain' };
  // Kuma API keys are sent as basic auth with an empty user name.
  if (source.apiKey) headers.authorization = `Basic ${Buffer.from(`:${source.apiKey}`).toString('base64')}`;
  let res: Response;
  try {
    res = await fetchFn(url, { headers, redirect: 'error', signal: AbortSignal.timeout(source.timeoutMs) });
  } catch (err) {
    const name = (err as { name?: string } | null)?.name;
    return { ok: false, reason: name === 'TimeoutError' ? `Uptime Kuma did not answer within ${source.timeoutMs} ms` : 'Uptime Kuma could not be reached' };
  }
  if (res.status !== 200) {
    await res.body?.cancel().catch(() => undefined);
    return { ok: false, reason: `Uptime Kuma answered HTTP ${res.status}${res.status === 401 ? ' (check the API key)' : ''}` };
  }
  const length = Number(res.headers.get('content-length') ?? '0');
  if (length > MAX_BYTES) {
    await res.body?.cancel().catch(() => undefined);
    return { ok: false, reason: 'Uptime Kuma metrics page is too large' };
  }
  const text = await res.text();
  if (text.length > MAX_BYTES) return { ok: false, reason: 'Uptime Kuma metrics page is too large' };
  return { ok: true, counts: countKumaStatuses(text) };
}
