import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countingSys, makeTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { generateApiKey, hashApiKey } from './api-keys.js';
import { createServer } from './server.js';

const COMPOSE = 'services:\n  web:\n    image: busybox\n  db:\n    image: busybox\n';
const intent = (name: string, stack: string, steps: string, extra = '') =>
  `apiVersion: oresi.dev/v1\nkind: Intent\nname: ${name}\nstack: ${stack}\n${extra}steps:\n${steps}`;
const INTENTS = {
  'a-status.yaml': intent('a-status', 'stack-a', '  - action: status\n'),
  'a-restart.yaml': intent('a-restart', 'stack-a', '  - action: restart\n    service: web\n'),
  'a-scale.yaml': intent('a-scale', 'stack-a', '  - action: scale\n    service: web\n    replicas: { param: replicas }\n',
    'params:\n  replicas: { type: integer, min: 0, max: 3, default: 1 }\n'),
  'b-status.yaml': intent('b-status', 'stack-b', '  - action: status\n'),
};

// A stand-in `docker` (a real process): answers the version probe, sleeps on restart so a run
// can be caught in flight, and prints its argv otherwise.
const FAKE_DOCKER = '#!/bin/sh\ncase "$*" in *version*) echo "Docker Compose version v2.0.0"; exit 0;; *restart*) exec sleep 30;; esac\necho "ran: $*"\n';

export const keys = {
  alice: generateApiKey(), viewer: generateApiKey(), sam: generateApiKey(), old: generateApiKey(),
  gone: generateApiKey(), lan: generateApiKey(), aud: generateApiKey(), env: generateApiKey(),
};
const principal = (name: string, roles: string[], key: string, extra: object = {}) =>
  ({ name, roles, keys: [{ id: `${name}-key`, sha256: hashApiKey(key), ...extra }] });

const CONFIG = {
  server: { rateLimit: { perPrincipalPerMinute: 10_000, perIpPerMinute: 10_000, authFailuresPerIpPerMinute: 10_000 } },
  roles: {
    ops: { intents: ['a-*'], stacks: ['stack-a'], actions: ['status', 'restart', 'scale'] },
    viewer: { readOnly: true },
    statusonly: { actions: ['status'] },
    auditor: { readOnly: true, audit: true },
  },
  principals: [
    principal('alice', ['ops'], keys.alice),
    principal('victor', ['viewer'], keys.viewer),
    principal('sam', ['statusonly'], keys.sam),
    principal('old', ['ops'], keys.old, { expires: '2020-01-01' }),
    principal('gone', ['ops'], keys.gone, { revoked: true }),
    { ...principal('lan', ['ops'], keys.lan), ipAllowlist: ['10.0.0.0/8'] },
    principal('aud', ['auditor'], keys.aud),
  ],
};

let test: TestApp;
let sys: ReturnType<typeof countingSys>;
let app: FastifyInstance;
const logLines: string[] = [];
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

beforeAll(async () => {
  const bin = join(await import('node:os').then((os) => os.tmpdir()), `oresi-fake-docker-${process.pid}`);
  await mkdir(bin, { recursive: true });
  await writeFile(join(bin, 'docker'), FAKE_DOCKER);
  await chmod(join(bin, 'docker'), 0o755);
  test = await makeTestApp({
    stacks: { 'stack-a': COMPOSE, 'stack-b': COMPOSE },
    intents: INTENTS,
    config: CONFIG,
    env: { PATH: `${bin}:${process.env.PATH ?? ''}`, ORESI_API_KEY: keys.env },
    sys: (real) => (sys = countingSys(real)),
  });
  app = await createServer(test.ctx, { logger: { level: 'info', stream: { write: (s: string) => void logLines.push(s) } }, version: '9.9.9-test' });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await test?.close();
});

const auditOf = (type: string) => test.ctx.audit.list({ limit: 10_000 }).filter((e) => e.type === type);

describe('probes and request ids', () => {
  it('GET /healthz needs no key and returns a fresh request id', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('keeps a valid incoming X-Request-Id and replaces an invalid one', async () => {
    const kept = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'proxy-1.2_3' } });
    expect(kept.headers['x-request-id']).toBe('proxy-1.2_3');
    for (const bad of ['has space', 'x'.repeat(65), 'a/b', '']) {
      const res = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': bad } });
      expect(res.headers['x-request-id']).not.toBe(bad);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('GET /readyz reports each check, 200 only when all pass', async () => {
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    const body = res.json();
    expect(body.checks.audit).toEqual({ ok: true });
    const allOk = Object.values(body.checks as Record<string, { ok: boolean }>).every((c) => c.ok);
    expect(res.statusCode).toBe(allOk ? 200 : 503);
    if (!allOk) expect(body.error.code).toBe('E_NOT_READY');
  });
});

describe('authentication', () => {
  const sameLength = keys.alice.slice(0, -1) + (keys.alice.endsWith('A') ? 'B' : 'A');
  const cases: Array<[string, Record<string, string>]> = [
    ['missing', {}],
    ['wrong, same length', bearer(sameLength)],
    ['wrong, different length', bearer('oresi_short')],
    ['trailing newline', { 'x-api-key': `${keys.alice}\n` }],
    ['trailing space in bearer', bearer(`${keys.alice} `)],
    ['expired', bearer(keys.old)],
    ['revoked', bearer(keys.gone)],
    ['not a bearer scheme', { authorization: `Basic ${keys.alice}` }],
  ];

  it.each(cases.map(([name, headers], i) => ({ name, headers, ip: `192.0.2.${i + 1}` })))('$name → 401, audited, nothing spawns', async ({ headers, ip }) => {
    const spawned = sys.spawns.length;
    const before = auditOf('auth.failed').length;
    const res = await app.inject({ method: 'POST', url: '/v1/runs', headers, remoteAddress: ip, payload: { intent: 'a-status' } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.json()).toMatchObject({ error: { code: 'E_UNAUTHENTICATED' }, requestId: res.headers['x-request-id'] });
    // The hint says how to send a key, whole: the secret redactor must not mistake it for one.
    expect(res.json().error.message).toBe('missing or invalid API key; send it as a bearer token in the Authorization header, or in X-API-Key');
    expect(sys.spawns.length).toBe(spawned);
    const rows = auditOf('auth.failed');
    expect(rows.length).toBe(before + 1);
    expect(rows.at(-1)).toMatchObject({ ip, actor: null });
    expect(JSON.stringify(rows.at(-1))).not.toContain(keys.alice);
  });

  it('the response does not say which kind of failure it was', async () => {
    const bodies = await Promise.all([bearer(keys.old), bearer(keys.gone), bearer('nope'), {}].map(async (headers) =>
      (await app.inject({ method: 'GET', url: '/v1/intents', headers, remoteAddress: '192.0.2.50' })).json().error));
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
  });

  it('writes one auth.failed row per address per window, but counts every failure', async () => {
    const before = auditOf('auth.failed').length;
    for (let i = 0; i < 5; i++) await app.inject({ method: 'GET', url: '/v1/intents', headers: bearer('bad'), remoteAddress: '198.51.100.7' });
    expect(auditOf('auth.failed').length).toBe(before + 1);
    const metrics = await app.inject({ method: 'GET', url: '/metrics', headers: bearer(keys.alice) });
    const unknown = /oresi_auth_failures_total\{reason="unknown"\} (\d+)/.exec(metrics.body);
    expect(Number(unknown?.[1])).toBeGreaterThanOrEqual(5);
  });

  it('accepts Bearer (any case) and X-API-Key, and the env admin key', async () => {
    for (const headers of [bearer(keys.alice), { authorization: `bearer ${keys.alice}` }, { 'x-api-key': keys.alice }, { 'x-api-key': keys.env }]) {
      const res = await app.inject({ method: 'GET', url: '/v1/intents', headers });
      expect(res.statusCode).toBe(200);
    }
  });

  it('lists only the intents a principal may see', async () => {
    const names = (key: string) => app.inject({ method: 'GET', url: '/v1/intents', headers: bearer(key) })
      .then((r) => (r.json().intents as Array<{ name: string }>).map((i) => i.name).sort());
    expect(await names(keys.alice)).toEqual(['a-restart', 'a-scale', 'a-status']);
    expect(await names(keys.env)).toEqual(['a-restart', 'a-scale', 'a-status', 'b-status']);
  });

  it('records key use once per key and address, not per request', async () => {
    const before = auditOf('key.used').filter((e) => e.actor === 'sam').length;
    for (let i = 0; i < 3; i++) await app.inject({ method: 'GET', url: '/v1/intents', headers: bearer(keys.sam) });
    const rows = auditOf('key.used').filter((e) => e.actor === 'sam');
    expect(rows.length).toBe(before + 1);
    expect(rows.at(-1)?.data).toMatchObject({ keyId: 'sam-key', via: 'api-key' });
  });
});

describe('authorisation and address rules', () => {
  it.each([
    ['read-only role runs nothing', keys.viewer, 'a-status'],
    ['role without the action', keys.sam, 'a-restart'],
    ['role without the stack', keys.alice, 'b-status'],
  ])('%s → 403, nothing spawns', async (_name, key, intentName) => {
    const spawned = sys.spawns.length;
    const res = await app.inject({ method: 'POST', url: '/v1/runs', headers: bearer(key), payload: { intent: intentName } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('E_FORBIDDEN');
    expect(sys.spawns.length).toBe(spawned);
  });

  it('a principal with an IP allowlist is refused from elsewhere and accepted from inside it', async () => {
    const outside = await app.inject({ method: 'GET', url: '/v1/intents', headers: bearer(keys.lan) });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.code).toBe('E_FORBIDDEN');
    const inside = await app.inject({ method: 'GET', url: '/v1/intents', headers: bearer(keys.lan), remoteAddress: '10.1.2.3' });
    expect(inside.statusCode).toBe(200);
  });

  it('the audit trail needs a role with audit: true', async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/audit', headers: bearer(keys.alice) })).statusCode).toBe(403);
    const res = await app.inject({ method: 'GET', url: '/v1/audit?limit=2', headers: bearer(keys.aud) });
    expect(res.statusCode).toBe(200);
    const { events } = res.json();
    expect(events).toHaveLength(2);
    const head = events[1];
    const ok = await app.inject({ method: 'GET', url: `/v1/audit/verify?seq=${head.seq}&hash=${head.hash}`, headers: bearer(keys.aud) });
    expect(ok.json()).toMatchObject({ ok: true });
    const wrong = await app.inject({ method: 'GET', url: `/v1/audit/verify?seq=${head.seq}&hash=${'0'.repeat(64)}`, headers: bearer(keys.aud) });
    expect(wrong.json()).toMatchObject({ ok: false });
    const half = await app.inject({ method: 'GET', url: '/v1/audit/verify?seq=1', headers: bearer(keys.aud) });
    expect(half.statusCode).toBe(400);
  });
});

describe('request errors', () => {
  const post = (url: string, payload: string, contentType = 'application/json') =>
    app.inject({ method: 'POST', url, headers: { ...bearer(keys.alice), 'content-type': contentType }, payload });

  it('404: unknown intent, unknown run, unknown route', async () => {
    const intentRes = await app.inject({ method: 'GET', url: '/v1/intents/nope', headers: bearer(keys.alice) });
    expect([intentRes.statusCode, intentRes.json().error.code]).toEqual([404, 'E_INTENT_NOT_FOUND']);
    const run = await app.inject({ method: 'GET', url: '/v1/runs/00000000-0000-4000-8000-000000000000', headers: bearer(keys.alice) });
    expect([run.statusCode, run.json().error.code]).toEqual([404, 'E_NOT_FOUND']);
    const route = await app.inject({ method: 'GET', url: '/v1/nothing-here', headers: bearer(keys.alice) });
    expect([route.statusCode, route.json().error.code]).toEqual([404, 'E_NOT_FOUND']);
  });

  it('400: bad parameter values, unknown fields (named), malformed JSON, bad names', async () => {
    const param = await post('/v1/runs', JSON.stringify({ intent: 'a-scale', params: { replicas: 99 } }));
    expect([param.statusCode, param.json().error.code]).toEqual([400, 'E_PARAM_INVALID']);
    const unknown = await post('/v1/runs', JSON.stringify({ intent: 'a-status', force: true }));
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([400, 'E_BAD_REQUEST']);
    expect(unknown.json().error.message).toContain('force');
    const json = await post('/v1/runs', '{"intent": ');
    expect([json.statusCode, json.json().error.code]).toEqual([400, 'E_BAD_REQUEST']);
    const name = await post('/v1/runs', JSON.stringify({ intent: 'A B' }));
    expect(name.statusCode).toBe(400);
    expect(name.json().error.message).toMatch(/^body\.intent: /);
    const query = await app.inject({ method: 'GET', url: '/v1/runs?limit=100000', headers: bearer(keys.alice) });
    expect(query.statusCode).toBe(400);
    expect(query.json().error.message).toMatch(/querystring\.limit/);
  });

  it('413 for a body over server.bodyLimitBytes, 415 for a non-JSON body', async () => {
    const big = await post('/v1/runs', JSON.stringify({ intent: 'a-status', reason: 'x'.repeat(70_000) }));
    expect([big.statusCode, big.json().error.code]).toEqual([413, 'E_PAYLOAD_TOO_LARGE']);
    const text = await post('/v1/runs', 'intent=a-status', 'text/plain');
    expect([text.statusCode, text.json().error.code]).toEqual([415, 'E_UNSUPPORTED_MEDIA_TYPE']);
    const form = await post('/v1/runs', 'intent=a-status', 'application/x-www-form-urlencoded');
    expect(form.statusCode).toBe(415);
  });

  it('an unexpected error is a generic 500 with no stack trace', async () => {
    const sub = await createServer(test.ctx, { logger: { level: 'silent' }, version: 't' });
    sub.get('/v1/boom', async () => { throw new Error(`secret path /etc/shadow ${keys.alice}`); });
    const res = await sub.inject({ method: 'GET', url: '/v1/boom', headers: bearer(keys.alice) });
    await sub.close();
    expect(res.statusCode).toBe(500);
    expect(res.json().error.code).toBe('E_INTERNAL');
    expect(res.body).not.toContain('shadow');
    expect(res.body).not.toContain('at ');
  });
});

describe('plans and runs', () => {
  it('POST /v1/intents/:name/plan returns the argv and runs nothing', async () => {
    const spawned = sys.spawns.length;
    const res = await app.inject({ method: 'POST', url: '/v1/intents/a-scale/plan', headers: bearer(keys.alice), payload: { params: { replicas: 2 } } });
    expect(res.statusCode).toBe(200);
    const plan = res.json();
    expect(plan.steps[0].argv).toEqual(expect.arrayContaining(['docker', 'compose', 'web=2']));
    expect(plan.hash).toMatch(/^[0-9a-f]{64}$/);
    const bare = await app.inject({ method: 'POST', url: '/v1/intents/a-scale/plan', headers: bearer(keys.viewer) });
    expect([bare.statusCode, bare.body]).toEqual([200, expect.stringContaining('web=1')]);
    expect(sys.spawns.length).toBe(spawned);
  });

  it('answers of one turn leave together, each to its own request', async () => {
    // Responses are held to the end of the event-loop turn (turn-batch.ts): sixty requests in
    // flight at once, refusals and errors among them, must each get their own answer.
    const asks = Array.from({ length: 60 }, (_, i) => {
      const kind = i % 3;
      const id = `turn-${i}`;
      if (kind === 0) return app.inject({ method: 'POST', url: '/v1/intents/a-scale/plan', headers: { ...bearer(keys.alice), 'x-request-id': id }, payload: { params: { replicas: i % 4 } } });
      if (kind === 1) return app.inject({ method: 'POST', url: '/v1/intents/a-scale/plan', headers: { ...bearer(keys.alice), 'x-request-id': id }, payload: { params: { replicas: 9 } } });
      return app.inject({ method: 'GET', url: '/v1/intents', headers: { 'x-api-key': 'wrong', 'x-request-id': id } });
    });
    const answers = await Promise.all(asks);
    answers.forEach((res, i) => {
      expect(res.headers['x-request-id']).toBe(`turn-${i}`);
      expect(JSON.parse(res.body).requestId ?? `turn-${i}`).toBe(`turn-${i}`);
      if (i % 3 === 0) expect([res.statusCode, res.json().steps[0].argv]).toEqual([200, expect.arrayContaining([`web=${i % 4}`])]);
      else if (i % 3 === 1) expect([res.statusCode, res.json().error.code]).toEqual([400, 'E_PARAM_INVALID']);
      else expect([res.statusCode, res.json().error.code]).toEqual([401, 'E_UNAUTHENTICATED']);
    });
  });

  it('POST /v1/runs?wait=true answers 200 with the finished run; it is listed and counted', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/runs?wait=true', headers: bearer(keys.alice), payload: { intent: 'a-status', reason: 'check' } });
    expect(res.statusCode).toBe(200);
    const run = res.json();
    expect(run).toMatchObject({ intent: 'a-status', state: 'succeeded', requestedBy: 'alice', reason: 'check' });
    expect(run.steps[0].stdout).toContain('ran: compose');
    expect(res.headers.location).toBe(`/v1/runs/${run.id}`);
    const got = await app.inject({ method: 'GET', url: `/v1/runs/${run.id}`, headers: bearer(keys.alice) });
    expect(got.json().id).toBe(run.id);
    const list = await app.inject({ method: 'GET', url: '/v1/runs?intent=a-status&limit=5', headers: bearer(keys.alice) });
    expect((list.json().runs as Array<{ id: string }>).map((r) => r.id)).toContain(run.id);
    const metrics = await app.inject({ method: 'GET', url: '/metrics', headers: bearer(keys.alice) });
    expect(metrics.body).toMatch(/oresi_runs_total\{intent="a-status",outcome="succeeded"\} [1-9]/);
    expect(metrics.body).toMatch(/oresi_run_duration_seconds_count\{intent="a-status",outcome="succeeded"\} [1-9]/);
  });

  it('202 while running; a second run on the busy stack is 409; cancel ends it', async () => {
    const first = await app.inject({ method: 'POST', url: '/v1/runs', headers: bearer(keys.alice), payload: { intent: 'a-restart' } });
    expect(first.statusCode).toBe(202);
    const { id, state } = first.json();
    expect(state).toBe('running');
    const second = await app.inject({ method: 'POST', url: '/v1/runs', headers: bearer(keys.alice), payload: { intent: 'a-status' } });
    expect([second.statusCode, second.json().error.code]).toEqual([409, 'E_STACK_BUSY']);
    const cancel = await app.inject({ method: 'POST', url: `/v1/runs/${id}/cancel`, headers: bearer(keys.alice) });
    expect(cancel.statusCode).toBe(200);
    expect(cancel.json().state).toBe('cancelled');
    const again = await app.inject({ method: 'POST', url: `/v1/runs/${id}/cancel`, headers: bearer(keys.alice) });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'E_CONFLICT']);
  });

  it('original POST /run: dry_run answers with the plan; a run answers with the outcome', async () => {
    const spawned = sys.spawns.length;
    const dry = await app.inject({ method: 'POST', url: '/run', headers: { 'x-api-key': keys.alice }, payload: { name: 'a-status', dry_run: true } });
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ dry_run: true, plan: { intent: 'a-status' } });
    expect(sys.spawns.length).toBe(spawned);
    const res = await app.inject({ method: 'POST', url: '/run', headers: { 'x-api-key': keys.alice }, payload: { name: 'a-status' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', returncode: 0, run: { state: 'succeeded' } });
    expect(res.json().stdout).toContain('ran: compose');
    expect(res.headers.deprecation).toBe('true');
    const denied = await app.inject({ method: 'POST', url: '/run', headers: { 'x-api-key': keys.viewer }, payload: { name: 'a-status' } });
    expect(denied.statusCode).toBe(403);
  });
});

describe('metadata, CORS and logs', () => {
  it('GET /metrics needs a key and exposes the oresi series', async () => {
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const res = await app.inject({ method: 'GET', url: '/metrics', headers: bearer(keys.viewer) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(/oresi_build_info\{version="9\.9\.9-test",node="v\d+/);
    expect(res.body).toContain('oresi_approvals_pending 0');
    expect(res.body).toContain('# TYPE oresi_rate_limited_total counter');
  });

  it('GET /v1/openapi.json is generated from the request schemas', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/openapi.json', headers: bearer(keys.viewer) });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    const body = doc.paths['/v1/runs'].post.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(['intent']);
    expect(body.additionalProperties).toBe(false);
    expect(Object.keys(body.properties).sort()).toEqual(['breakGlass', 'intent', 'params', 'pr', 'reason']);
    expect(doc.paths['/v1/intents/{name}/plan']).toBeDefined();
    expect(doc.paths['/healthz']).toBeUndefined();
  });

  it('sends no CORS headers unless origins are configured', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/intents', headers: { ...bearer(keys.alice), origin: 'https://evil.example' } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const pre = await app.inject({ method: 'OPTIONS', url: '/v1/runs', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('every response, refusals and errors included, carries the security headers and its request id', async () => {
    const responses = [
      await app.inject({ method: 'GET', url: '/healthz' }),
      await app.inject({ method: 'POST', url: '/v1/intents/a-scale/plan', headers: bearer(keys.alice), payload: {} }),
      await app.inject({ method: 'GET', url: '/v1/intents' }),
      await app.inject({ method: 'GET', url: '/v1/intents/nope', headers: bearer(keys.alice) }),
      await app.inject({ method: 'POST', url: '/v1/intents/a-scale/plan', headers: bearer(keys.alice), payload: { params: { replicas: 99 } } }),
    ];
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 401, 404, 400]);
    for (const res of responses) {
      expect(res.headers).toMatchObject({
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
        'cross-origin-resource-policy': 'same-origin',
        'referrer-policy': 'no-referrer',
        'strict-transport-security': 'max-age=31536000',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
      });
      expect(res.headers['x-request-id']).toMatch(/^[\w.-]{1,64}$/);
      if (res.statusCode >= 400) expect(res.json().requestId).toBe(res.headers['x-request-id']);
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('logs one line per request with id, ip, principal, route and status — and never a key', async () => {
    await app.inject({ method: 'GET', url: '/v1/intents', headers: { ...bearer(keys.alice), 'x-request-id': 'log-check-1' } });
    const text = logLines.join('');
    for (const key of Object.values(keys)) expect(text).not.toContain(key);
    expect(text).not.toMatch(/authorization|x-api-key/i);
    const line = logLines.map((l) => JSON.parse(l)).find((l) => l.requestId === 'log-check-1' && l.msg === 'request');
    expect(line).toMatchObject({ ip: '127.0.0.1', principal: 'alice', method: 'GET', route: '/v1/intents', status: 200 });
    expect(typeof line.durationMs).toBe('number');
  });
});

describe('after every test above', () => {
  it('no response was sent twice or failed after being held to the end of its turn', () => {
    // A route that sends and then resolves with nothing would send twice now that responses are
    // held (turn-batch.ts); Fastify or the batch would log it. Routes return payloads instead.
    const bad = logLines.filter((l) => /already sent|deferred response failed|ERR_HTTP_HEADERS_SENT/i.test(l));
    expect(logLines.length).toBeGreaterThan(50);
    expect(bad).toEqual([]);
  });
});
