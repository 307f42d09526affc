import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, InjectOptions } from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { generateApiKey, hashApiKey } from './api-keys.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { createServer } from './server.js';

const key = generateApiKey();
let test: TestApp;
let app: FastifyInstance;
let port = 0;

beforeAll(async () => {
  test = await makeTestApp({
    stacks: { 'stack-a': 'services:\n  web:\n    image: busybox\n' },
    intents: { 'a-status.yaml': 'apiVersion: oresi.dev/v1\nkind: Intent\nname: a-status\nstack: stack-a\nsteps:\n  - action: status\n' },
    config: {
      server: { rateLimit: { perPrincipalPerMinute: 1e6, perIpPerMinute: 1e6, authFailuresPerIpPerMinute: 1e6 } },
      roles: { ops: {} },
      principals: [{ name: 'alice', roles: ['ops'], keys: [{ sha256: hashApiKey(key) }] }],
    },
  });
  app = await createServer(test.ctx, { logger: { level: 'silent' }, version: 't' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await app?.close();
  await test?.close();
});

interface Seen { status: number; headers: Record<string, string | string[] | number | undefined>; body: string }

/** The contract every response meets: security headers, a request id, and errors in the one envelope. */
function expectContract(res: Seen, rawUrl?: string, method = 'GET'): void {
  for (const [name, value] of SECURITY_HEADERS) expect(res.headers[name], `${name} on ${res.status}`).toBe(value);
  expect(res.headers['x-request-id']).toEqual(expect.any(String));
  // A HEAD response has no body by definition; its headers still follow the contract.
  if (res.status >= 400 && method !== 'HEAD') {
    expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
    const body = JSON.parse(res.body) as { error: { code: string; message: string }; requestId: string };
    expect(body).toMatchObject({ error: { code: expect.stringMatching(/^E_[A-Z_]+$/), message: expect.any(String) }, requestId: expect.any(String) });
  }
  // Markup, quotes, controls or a stray '%' in the URL: the response must not carry it as written.
  if (rawUrl && (/[^A-Za-z0-9\-._~!$&()*+,;=:@/%]/.test(rawUrl) || /%(?![0-9A-Fa-f]{2})/.test(rawUrl))) expect(res.body).not.toContain(rawUrl);
}

const auth = { authorization: `Bearer ${key}` };

describe('responses from Fastify itself meet the contract (inject)', () => {
  it.each([
    ['a URL that does not decode', { method: 'GET', url: '/v1/intents/%zz', headers: auth }, 400],
    ['a URL that does not decode, no key', { method: 'GET', url: '/v1/%zz/<script>', headers: {} }, 400],
    ['an unknown route echoing markup', { method: 'GET', url: '/v1/<img src=x onerror=alert(1)>', headers: auth }, 404],
    ['a bad content type', { method: 'POST', url: '/v1/runs', headers: { ...auth, 'content-type': 'text/xml' }, payload: '<x/>' }, 415],
    ['malformed JSON', { method: 'POST', url: '/v1/runs', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"intent":' }, 400],
    ['a body over the limit', { method: 'POST', url: '/v1/runs', headers: { ...auth, 'content-type': 'application/json' }, payload: `{"x":"${'a'.repeat(70_000)}"}` }, 413],
    ['a body over the limit, no key', { method: 'POST', url: '/v1/runs', headers: { 'content-type': 'application/json' }, payload: `{"x":"${'a'.repeat(70_000)}"}` }, 401],
  ] as const)('%s → its status in the envelope with the headers', async (_name, req, status) => {
    const res = await app.inject(req as unknown as InjectOptions);
    expect(res.statusCode).toBe(status);
    expectContract({ status: res.statusCode, headers: res.headers, body: res.body }, req.url);
  });

  it('property: any path, method and headers get the headers and the envelope, never the raw URL', async () => {
    // No backslash and no leading '//': inject parses those as a URL with a host, a server never sees them.
    const segment = fc.stringMatching(/^[A-Za-z0-9%<>"'`{}|^~._!$&()*+,;=:@ -]{1,12}$/);
    await fc.assert(fc.asyncProperty(
      fc.array(segment, { minLength: 1, maxLength: 4 }),
      fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
      fc.constantFrom('/v1/intents/', '/v1/runs/', '/v1/', '/', '/healthz/', '/v1/stacks/'),
      fc.constantFrom({}, auth, { authorization: 'Bearer nope' }, { 'content-type': 'text/plain' }, { 'content-type': 'application/json', ...auth }),
      async (segments, method, prefix, headers) => {
        const url = prefix + segments.join('/').replace(/ /g, '%20');
        const res = await app.inject({ method, url, headers, ...(method === 'POST' || method === 'PUT' ? { payload: '{' } : {}) });
        if (res.statusCode < 400) return;
        expectContract({ status: res.statusCode, headers: res.headers, body: res.body }, url, method);
      },
    ), { numRuns: 300 });
  });
});

/** Writes raw bytes to the listening server and returns everything it answers until it closes. */
function rawExchange(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => { got += chunk; });
    socket.on('error', reject);
    socket.on('close', () => resolve(got));
    socket.end(bytes);
  });
}

function parseRaw(text: string): Seen {
  const [head = '', ...rest] = text.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Seen['headers'] = {};
  for (const line of lines) {
    const at = line.indexOf(':');
    headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') };
}

describe('responses from the HTTP parser meet the contract (real socket)', () => {
  it.each([
    ['a bad request line', 'GARBAGE\r\n\r\n', 400, '/x'],
    ['headers too large', `GET /v1/intents HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, undefined],
    ['a URI too long', `GET /v1/intents/${'<a>'.repeat(7000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 414, '<a><a><a>'],
    ['an invalid header', 'GET / HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n', 400, undefined],
  ] as const)('%s → its status with the headers and the envelope', async (_name, bytes, status, raw) => {
    const res = parseRaw(await rawExchange(bytes));
    expect(res.status).toBe(status);
    expectContract(res);
    if (raw) expect(res.body).not.toContain(raw);
  });
});
