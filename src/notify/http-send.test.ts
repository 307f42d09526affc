import { afterEach, describe, expect, it } from 'vitest';
import { type RecordingServer, type Responder, startRecordingServer } from '../../test/stand-ins/sinks.js';
import { parseRetryAfter, sendRequest } from './http-send.js';

const NOW = Date.UTC(2024, 0, 1);
const deps = { fetch: globalThis.fetch, now: () => NOW };
const servers: RecordingServer[] = [];
async function server(respond: Responder): Promise<RecordingServer> {
  const s = await startRecordingServer(respond);
  servers.push(s);
  return s;
}
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

describe('sendRequest classification', () => {
  it.each([
    [200, { ok: true, status: 200 }],
    [500, { ok: false, retryable: true, reason: 'HTTP 500' }],
    [502, { ok: false, retryable: true, reason: 'HTTP 502' }],
    [408, { ok: false, retryable: true, reason: 'HTTP 408' }],
    [400, { ok: false, retryable: false, reason: 'HTTP 400' }],
    [404, { ok: false, retryable: false, reason: 'HTTP 404' }],
  ])('HTTP %i', async (status, expected) => {
    const s = await server(() => ({ status, body: 'secret-echo' }));
    const res = await sendRequest(deps, { method: 'POST', url: s.url, body: 'x' }, 2000);
    expect(res).toEqual(expected);
  });

  it('429 carries Retry-After in ms', async () => {
    const s = await server(() => ({ status: 429, headers: { 'retry-after': '3' } }));
    expect(await sendRequest(deps, { method: 'GET', url: s.url }, 2000)).toEqual({ ok: false, retryable: true, reason: 'HTTP 429', retryAfterMs: 3000 });
  });

  it('a refused connection is retryable and the reason does not contain the URL', async () => {
    const s = await server(() => ({ status: 200 }));
    const url = `${s.url}/secret-token-path`;
    await s.close();
    servers.splice(0);
    const res = await sendRequest(deps, { method: 'POST', url }, 2000);
    expect(res).toMatchObject({ ok: false, retryable: true });
    expect(JSON.stringify(res)).not.toContain('secret-token-path');
    expect(JSON.stringify(res)).toContain('ECONNREFUSED');
  });

  it('a server that never answers times out as retryable', async () => {
    const s = await server(() => ({ status: 200, hang: true }));
    const res = await sendRequest(deps, { method: 'GET', url: s.url }, 200);
    expect(res).toEqual({ ok: false, retryable: true, reason: 'timeout after 200 ms' });
  });

  it('does not follow redirects (a webhook URL must not bounce elsewhere)', async () => {
    const s = await server(() => ({ status: 302, headers: { location: 'http://127.0.0.1:1/' } }));
    const res = await sendRequest(deps, { method: 'POST', url: s.url, body: 'x' }, 2000);
    expect(res.ok).toBe(false);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter('0.5', NOW)).toBe(500);
    expect(parseRetryAfter(new Date(NOW + 10_000).toUTCString(), NOW)).toBe(10_000);
    expect(parseRetryAfter(new Date(NOW - 10_000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
  });
});
