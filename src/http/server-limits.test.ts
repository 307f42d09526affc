import Database from 'better-sqlite3';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../commands/types.js';
import type { ServerConfig } from '../config/schema.js';
import { countingSys, makeTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { generateApiKey, hashApiKey } from './api-keys.js';
import { createServer, stopServer } from './server.js';

const COMPOSE = 'services:\n  web:\n    image: busybox\n';
const INTENTS = {
  'a-status.yaml': 'apiVersion: oresi.dev/v1\nkind: Intent\nname: a-status\nstack: stack-a\nsteps:\n  - action: status\n',
  'a-restart.yaml': 'apiVersion: oresi.dev/v1\nkind: Intent\nname: a-restart\nstack: stack-a\nsteps:\n  - action: restart\n',
};
const FAKE_DOCKER = '#!/bin/sh\ncase "$*" in *version*) echo "v2.0.0"; exit 0;; *restart*) exec sleep 30;; esac\necho "ran: $*"\n';
const alice = generateApiKey();
const bob = generateApiKey();
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

let test: TestApp;
let sys: ReturnType<typeof countingSys>;
const servers: FastifyInstance[] = [];

beforeAll(async () => {
  const bin = join(tmpdir(), `oresi-fake-docker-limits-${process.pid}`);
  await mkdir(bin, { recursive: true });
  await writeFile(join(bin, 'docker'), FAKE_DOCKER);
  await chmod(join(bin, 'docker'), 0o755);
  test = await makeTestApp({
    stacks: { 'stack-a': COMPOSE },
    intents: INTENTS,
    config: {
      roles: { ops: {} },
      principals: [
        { name: 'alice', roles: ['ops'], keys: [{ sha256: hashApiKey(alice) }] },
        { name: 'bob', roles: ['ops'], keys: [{ sha256: hashApiKey(bob) }] },
      ],
    },
    env: { PATH: `${bin}:${process.env.PATH ?? ''}` },
    sys: (real) => (sys = countingSys(real)),
  });
});
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});
afterAll(async () => test?.close());

/** A server over the same app with some server settings changed. */
async function serverWith(server: Partial<ServerConfig>): Promise<FastifyInstance> {
  const ctx: AppContext = { ...test.ctx, config: { ...test.ctx.config, server: { ...test.ctx.config.server, ...server } } };
  const app = await createServer(ctx, { logger: { level: 'silent' }, version: 't' });
  servers.push(app);
  return app;
}

const limits = (l: Partial<ServerConfig['rateLimit']>) => ({ rateLimit: { perPrincipalPerMinute: 1000, perIpPerMinute: 1000, authFailuresPerIpPerMinute: 1000, ...l } });

describe('rate limits', () => {
  it('per principal: 429 with Retry-After once the key used its budget; others unaffected', async () => {
    const app = await serverWith(limits({ perPrincipalPerMinute: 2 }));
    const get = (key: string) => app.inject({ method: 'GET', url: '/v1/intents', headers: bearer(key) });
    expect((await get(alice)).statusCode).toBe(200);
    expect((await get(alice)).statusCode).toBe(200);
    const limited = await get(alice);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('E_RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await get(bob)).statusCode).toBe(200);
    const metrics = await app.inject({ method: 'GET', url: '/metrics', headers: bearer(bob) });
    expect(metrics.body).toContain('oresi_rate_limited_total{scope="principal"} 1');
  });

  it('failed authentications: after the budget, failures get 429 while a good key from that address still passes', async () => {
    const app = await serverWith(limits({ authFailuresPerIpPerMinute: 2 }));
    const get = (key: string, remoteAddress = '192.0.2.10') => app.inject({ method: 'GET', url: '/v1/intents', headers: bearer(key), remoteAddress });
    expect((await get('wrong-1')).statusCode).toBe(401);
    expect((await get('wrong-2')).statusCode).toBe(401);
    const third = await get('wrong-3');
    expect([third.statusCode, third.json().error.code]).toEqual([429, 'E_RATE_LIMITED']);
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    expect((await get(alice)).statusCode).toBe(200);
    // A good request does not clear the failures: the next wrong key is still refused unheard.
    expect((await get('wrong-4')).statusCode).toBe(429);
    expect((await app.inject({ method: 'GET', url: '/v1/intents', remoteAddress: '192.0.2.10' })).statusCode).toBe(429);
    expect((await get(alice, '192.0.2.11')).statusCode).toBe(200);
  });

  it('per address: applies to the API, not to /healthz and /readyz (a flooding address keeps its health checks)', async () => {
    const app = await serverWith(limits({ perIpPerMinute: 3 }));
    for (let i = 0; i < 3; i++) expect((await app.inject({ method: 'GET', url: '/v1/intents', headers: bearer(alice) })).statusCode).toBe(200);
    const res = await app.inject({ method: 'GET', url: '/v1/intents', headers: bearer(alice) });
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBeDefined();
    expect((await app.inject({ method: 'GET', url: '/nope' })).statusCode).toBe(429);
    for (let i = 0; i < 10; i++) expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).not.toBe(429);
    expect((await app.inject({ method: 'GET', url: '/v1/intents', headers: bearer(alice), remoteAddress: '192.0.2.99' })).statusCode).toBe(200);
  });
});

describe('address allowlist and CORS', () => {
  it('server.ipAllowlist refuses other addresses before anything else', async () => {
    const app = await serverWith({ ipAllowlist: ['10.0.0.0/8'] });
    const outside = await app.inject({ method: 'GET', url: '/v1/intents', headers: bearer(alice), remoteAddress: '192.0.2.1' });
    expect([outside.statusCode, outside.json().error.code]).toEqual([403, 'E_FORBIDDEN']);
    const inside = await app.inject({ method: 'GET', url: '/v1/intents', headers: bearer(alice), remoteAddress: '10.9.8.7' });
    expect(inside.statusCode).toBe(200);
  });

  it('with corsOrigins, only those exact origins are echoed; never null or *', async () => {
    const app = await serverWith({ corsOrigins: ['https://ops.example/'] });
    const get = (origin: string) => app.inject({ method: 'GET', url: '/v1/intents', headers: { ...bearer(alice), origin } });
    expect((await get('https://ops.example')).headers['access-control-allow-origin']).toBe('https://ops.example');
    for (const origin of ['https://evil.example', 'null', 'https://ops.example.evil', 'http://ops.example']) {
      expect((await get(origin)).headers['access-control-allow-origin']).toBeUndefined();
    }
    const pre = await app.inject({ method: 'OPTIONS', url: '/v1/runs', headers: { origin: 'https://ops.example', 'access-control-request-method': 'POST' } });
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-headers']).toContain('Authorization');
  });
});

describe('audit store unavailable', () => {
  it('503 for runs and readiness while another connection holds an EXCLUSIVE lock; nothing spawns', async () => {
    const app = await serverWith({});
    const other = new Database(join(test.ctx.config.dataDir, 'audit.db'));
    const spawned = sys.spawns.length;
    other.exec('BEGIN EXCLUSIVE');
    try {
      const run = await app.inject({ method: 'POST', url: '/v1/runs', headers: bearer(alice), payload: { intent: 'a-status' } });
      expect([run.statusCode, run.json().error.code]).toEqual([503, 'E_AUDIT_UNAVAILABLE']);
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json().error).toMatchObject({ code: 'E_NOT_READY', message: expect.stringContaining('audit') });
      expect(ready.json().checks.audit.ok).toBe(false);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(sys.spawns.length).toBe(spawned);
    const after = await app.inject({ method: 'POST', url: '/v1/runs?wait=true', headers: bearer(alice), payload: { intent: 'a-status' } });
    expect(after.statusCode).toBe(200);
  });
});

describe('stopServer', () => {
  it('stops accepting, then waits for running runs to end', async () => {
    const app = await createServer(test.ctx, { logger: { level: 'silent' }, version: 't' });
    const started = await app.inject({ method: 'POST', url: '/v1/runs', headers: bearer(alice), payload: { intent: 'a-restart' } });
    expect(started.statusCode).toBe(202);
    const { id } = started.json();
    const stopping = stopServer(app, test.ctx, 60_000);
    expect(test.ctx.active.size()).toBe(1);
    // The run ends (here by cancellation); only then may the stop finish.
    test.ctx.active.get(id)?.controller.abort();
    await expect(stopping).resolves.toEqual({ drained: true, closed: true });
    expect(test.ctx.audit.getRun(id)?.state).toBe('cancelled');
  });
});
