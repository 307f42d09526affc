import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEngineClient } from '../../src/docker/engine.js';
import type { EngineClient } from '../../src/docker/engine-types.js';
import { generateApiKey, hashApiKey } from '../../src/http/api-keys.js';
import { createServer, stopServer } from '../../src/http/server.js';
import { countingSys, makeTestApp, type TestApp } from '../helpers/test-app.js';
import { describeEngine, removeProject, TEST_IMAGE, uniqueProjectName } from './engine.js';

/** The HTTP edge over a real socket, driving a real compose stack on the real engine. */
describeEngine('the HTTP API on the real engine', () => {
  const stack = uniqueProjectName('http');
  const opsKey = generateApiKey();
  const viewerKey = generateApiKey();
  let test: TestApp;
  let sys: ReturnType<typeof countingSys>;
  let engine: EngineClient;
  let app: FastifyInstance;
  let base = '';

  const intent = (name: string, steps: string, params = '') =>
    `apiVersion: oresi.dev/v1\nkind: Intent\nname: ${name}\nstack: ${stack}\ntimeoutSeconds: 120\n${params}steps:\n${steps}`;

  beforeAll(async () => {
    test = await makeTestApp({
      stacks: { [stack]: `services:\n  web:\n    image: ${TEST_IMAGE}\n    network_mode: none\n    command: ["sleep", "600"]\n    stop_grace_period: 1s\n` },
      intents: {
        'up.yaml': intent('up', '  - action: up\n'),
        'scale.yaml': intent('scale', '  - action: scale\n    service: web\n    replicas: { param: replicas }\n', 'params:\n  replicas: { type: integer, min: 0, max: 3, default: 1 }\n'),
        'status.yaml': intent('status', '  - action: status\n'),
      },
      config: {
        roles: { ops: {}, viewer: { readOnly: true } },
        principals: [
          { name: 'ops', roles: ['ops'], keys: [{ sha256: hashApiKey(opsKey) }] },
          { name: 'viewer', roles: ['viewer'], keys: [{ sha256: hashApiKey(viewerKey) }] },
        ],
      },
      sys: (real) => (sys = countingSys(real)),
    });
    engine = createEngineClient({ host: process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock' });
    app = await createServer(test.ctx, { logger: { level: 'silent' }, version: 'e2e' });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    if (!addr || typeof addr === 'string') throw new Error('no address');
    base = `http://127.0.0.1:${addr.port}`;
  });
  afterAll(async () => {
    if (app) await stopServer(app, test.ctx, 30_000);
    await removeProject(stack);
    await engine?.close();
    await test?.close();
  });

  const running = async () => (await engine.listComposeContainers()).filter((c) => c.project === stack && c.service === 'web' && c.state === 'running');
  const call = async (method: string, path: string, key: string | null, body?: unknown) => {
    const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test walks arbitrary response JSON
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  it('refuses a bad key and a read-only role without touching the engine', async () => {
    const spawned = sys.spawns.length;
    expect((await call('POST', '/v1/runs', 'oresi_wrong', { intent: 'up' })).status).toBe(401);
    expect((await call('POST', '/v1/runs', null, { intent: 'up' })).status).toBe(401);
    expect((await call('POST', '/v1/runs', viewerKey, { intent: 'up' })).status).toBe(403);
    expect(sys.spawns.length).toBe(spawned);
    expect(await running()).toHaveLength(0);
  });

  it('POST /v1/runs?wait=true brings the stack up; the run is readable afterwards', async () => {
    const res = await call('POST', '/v1/runs?wait=true', opsKey, { intent: 'up', reason: 'e2e' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ intent: 'up', state: 'succeeded', requestedBy: 'ops' });
    expect(await running()).toHaveLength(1);
    const got = await call('GET', `/v1/runs/${res.body.id}`, viewerKey);
    expect(got.body.steps[0]).toMatchObject({ action: 'up', outcome: 'succeeded', exitCode: 0 });
  });

  it('a plan shows the argv and changes nothing; the run then does what the plan said', async () => {
    const plan = await call('POST', `/v1/intents/scale/plan`, viewerKey, { params: { replicas: 2 } });
    expect(plan.status).toBe(200);
    expect(plan.body.steps[0].argv).toContain('web=2');
    expect(await running()).toHaveLength(1);
    const run = await call('POST', '/v1/runs?wait=true', opsKey, { intent: 'scale', params: { replicas: 2 } });
    expect(run.status).toBe(200);
    expect(run.body.steps[0].argv).toEqual(plan.body.steps[0].argv);
    expect(await running()).toHaveLength(2);
  });

  it('the original POST /run scales back with the defaults and reports ok', async () => {
    const res = await call('POST', '/run', opsKey, { name: 'scale' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', returncode: 0, run: { state: 'succeeded' } });
    expect(await running()).toHaveLength(1);
  });

  it('out-of-range parameters are a 400 and nothing runs', async () => {
    const spawned = sys.spawns.length;
    const res = await call('POST', '/v1/runs', opsKey, { intent: 'scale', params: { replicas: 9 } });
    expect([res.status, res.body.error.code]).toEqual([400, 'E_PARAM_INVALID']);
    expect(sys.spawns.length).toBe(spawned);
    expect(await running()).toHaveLength(1);
  });

  it('metrics count the runs by intent and outcome', async () => {
    const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${viewerKey}` } });
    const text = await res.text();
    expect(text).toMatch(/oresi_runs_total\{intent="scale",outcome="succeeded"\} 2/);
    expect(text).toMatch(/oresi_runs_total\{intent="up",outcome="succeeded"\} 1/);
    expect(text).toMatch(/oresi_runs_total\{intent="up",outcome="rejected"\} 1/);
  });
});
