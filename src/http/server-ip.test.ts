import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../commands/types.js';
import type { ServerConfig } from '../config/schema.js';
import { makeTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { generateApiKey, hashApiKey } from './api-keys.js';
import { createServer } from './server.js';

/** These tests go through a real socket: the peer address is the kernel's, not a test option. */
const key = generateApiKey();
const lanKey = generateApiKey();
let test: TestApp;
const servers: FastifyInstance[] = [];
const logs: string[] = [];

beforeAll(async () => {
  test = await makeTestApp({
    stacks: { 'stack-a': 'services:\n  web:\n    image: busybox\n' },
    intents: { 'a-status.yaml': 'apiVersion: oresi.dev/v1\nkind: Intent\nname: a-status\nstack: stack-a\nsteps:\n  - action: status\n' },
    config: {
      roles: { ops: {} },
      principals: [
        { name: 'alice', roles: ['ops'], keys: [{ sha256: hashApiKey(key) }] },
        { name: 'lan', roles: ['ops'], keys: [{ sha256: hashApiKey(lanKey) }], ipAllowlist: ['203.0.113.0/24'] },
      ],
    },
  });
});
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});
afterAll(async () => test?.close());

async function listen(server: Partial<ServerConfig>, host = '127.0.0.1'): Promise<string> {
  const ctx: AppContext = { ...test.ctx, config: { ...test.ctx.config, server: { ...test.ctx.config.server, ...server } } };
  const app = await createServer(ctx, { logger: { level: 'info', stream: { write: (s: string) => void logs.push(s) } }, version: 't' });
  servers.push(app);
  await app.listen({ host, port: 0 });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return host.includes(':') ? `http://[${addr.address}]:${addr.port}` : `http://${addr.address}:${addr.port}`;
}

const get = (base: string, path: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { headers: { authorization: `Bearer ${key}`, ...headers } });

describe('client IP over a real socket', () => {
  it('an untrusted peer cannot spoof X-Forwarded-For past the allowlist', async () => {
    const base = await listen({ ipAllowlist: ['203.0.113.0/24'] });
    const res = await get(base, '/v1/intents', { 'x-forwarded-for': '203.0.113.5' });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('127.0.0.1');
  });

  it('behind a trusted proxy, the first untrusted hop from the right is the client', async () => {
    const base = await listen({ ipAllowlist: ['203.0.113.0/24'], trustedProxies: ['127.0.0.1/32'] });
    expect((await get(base, '/v1/intents', { 'x-forwarded-for': '203.0.113.5' })).status).toBe(200);
    // The client put 203.0.113.5 in its own header; the proxy appended the real 198.51.100.1.
    expect((await get(base, '/v1/intents', { 'x-forwarded-for': '203.0.113.5, 198.51.100.1' })).status).toBe(403);
    // Malformed: fall back to the peer (127.0.0.1), which the allowlist refuses.
    expect((await get(base, '/v1/intents', { 'x-forwarded-for': 'not-an-ip' })).status).toBe(403);
  });

  it('a principal allowlist uses the same client IP, and so do the log and the audit row', async () => {
    const base = await listen({ trustedProxies: ['127.0.0.1'] });
    const lan = (xff: string) => fetch(`${base}/v1/intents`, { headers: { 'x-api-key': lanKey, 'x-forwarded-for': xff, 'x-request-id': `lan-${xff}` } });
    expect((await lan('203.0.113.77')).status).toBe(200);
    expect((await lan('192.0.2.1')).status).toBe(403);
    const line = logs.map((l) => JSON.parse(l)).find((l) => l.requestId === 'lan-203.0.113.77' && l.msg === 'request');
    expect(line).toMatchObject({ ip: '203.0.113.77', principal: 'lan', status: 200 });
    const bad = await fetch(`${base}/v1/intents`, { headers: { 'x-api-key': 'wrong', 'x-forwarded-for': '198.51.100.23' } });
    expect(bad.status).toBe(401);
    expect(test.ctx.audit.list({ limit: 1000 }).filter((e) => e.type === 'auth.failed').at(-1)?.ip).toBe('198.51.100.23');
  });

  it('listens on IPv6 loopback and sees the peer as ::1', async ({ skip }) => {
    let base = '';
    try {
      base = await listen({ ipAllowlist: ['::1'] }, '::1');
    } catch {
      skip('no IPv6 loopback on this host');
    }
    expect((await get(base, '/v1/intents')).status).toBe(200);
  });
});
