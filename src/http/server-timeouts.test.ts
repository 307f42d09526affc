import { connect, type AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { generateApiKey, hashApiKey } from './api-keys.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { createServer } from './server.js';

const key = generateApiKey();
/** Far beyond the configured 1 s bounds, far below node's defaults (60 s and more). */
const CAP_MS = 12_000;
let test: TestApp;
let app: FastifyInstance;
let port = 0;

beforeAll(async () => {
  test = await makeTestApp({
    stacks: { 'stack-a': 'services:\n  web:\n    image: busybox\n' },
    intents: { 'a-status.yaml': 'apiVersion: oresi.dev/v1\nkind: Intent\nname: a-status\nstack: stack-a\nsteps:\n  - action: status\n' },
    config: {
      server: { requestTimeoutSeconds: 1, headersTimeoutSeconds: 1 },
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

/** Sends `bytes` and never finishes the request; resolves with what the server answered once it closed, or 'still open'. */
function stall(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    const cap = setTimeout(() => { socket.destroy(); resolve('still open'); }, CAP_MS);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => { got += chunk; });
    socket.on('error', reject);
    socket.on('close', () => { clearTimeout(cap); resolve(got); });
    socket.write(bytes);
  });
}

function expect408(answer: string): void {
  expect(answer).not.toBe('still open');
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  expect(head.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
  for (const [name, value] of SECURITY_HEADERS) expect(head.toLowerCase()).toContain(`\r\n${name}: ${value.toLowerCase()}`);
  expect(JSON.parse(body)).toMatchObject({ error: { code: 'E_REQUEST_TIMEOUT', message: expect.any(String) }, requestId: expect.any(String) });
}

describe('receiving a request is bounded as configured (real socket, 1 s bounds)', () => {
  it('headers that never finish: answered 408 and closed', async () => {
    expect408(await stall('GET /v1/intents HTTP/1.1\r\nHost: x\r\nX-Slow: '));
  }, CAP_MS + 5_000);

  it('an authenticated request whose body never completes: answered 408 and closed', async () => {
    expect408(await stall(`POST /v1/runs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"intent":`));
  }, CAP_MS + 5_000);
});
