import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEngineClient } from '../../src/docker/engine.js';
import type { EngineClient } from '../../src/docker/engine-types.js';
import { createServer, stopServer } from '../../src/http/server.js';
import { makeTestApp, type TestApp } from '../helpers/test-app.js';
import { describeEngine, removeProject, TEST_IMAGE } from './engine.js';

/**
 * The original service's contract: `POST /run {"name", "dry_run"}` with `X-API-Key`, driven by
 * the original scale_stack.yaml. The fixture is used byte for byte except that its absolute
 * `/opt/stacks` prefix points at this test's temp stacks root.
 */
describeEngine('the original POST /run contract on the real engine', () => {
  const KEY = 'legacy-test-key-0123456789abcdef';
  let test: TestApp;
  let engine: EngineClient;
  let app: FastifyInstance;

  beforeAll(async () => {
    await removeProject('stack-media');
    const fixture = await readFile(new URL('../fixtures/intents/legacy/scale_stack.yaml', import.meta.url), 'utf8');
    test = await makeTestApp({
      stacks: {
        'stack-media': `services:\n  plex:\n    image: ${TEST_IMAGE}\n    network_mode: none\n    command: ["sleep", "600"]\n    stop_signal: SIGKILL\n`,
      },
      intents: {},
      // The original deployment configured its key through CHATOPS_API_KEY; keep that working.
      env: { CHATOPS_API_KEY: KEY },
      // The label is not verified against a PR system in this test; that gate has its own tests.
      config: { approvals: { unverifiedLabels: 'allow' } },
      prepare: async ({ stacksRoot, intentsDir }) => {
        // Dockge's file name for this stack, as the fixture's compose: path says.
        await rename(join(stacksRoot, 'stack-media', 'compose.yaml'), join(stacksRoot, 'stack-media', 'docker-compose.yml'));
        await writeFile(join(intentsDir, 'scale_stack.yaml'), fixture.replaceAll('/opt/stacks', stacksRoot));
      },
    });
    engine = createEngineClient({ host: process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock' });
    app = await createServer(test.ctx, { logger: { level: 'silent' }, version: 'e2e' });
    await app.ready();
  });
  afterAll(async () => {
    if (app) await stopServer(app, test.ctx, 30_000);
    await removeProject('stack-media');
    await engine?.close();
    await test?.close();
  });

  const post = (body: unknown, key: string | null = KEY) =>
    app.inject({ method: 'POST', url: '/run', headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) }, payload: JSON.stringify(body) });

  it('without the key: 401, and nothing runs', async () => {
    const res = await post({ name: 'scale_stack' }, null);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'E_UNAUTHENTICATED' } });
  });

  it('dry_run returns the plan: scale plex to 2 in stack-media', async () => {
    const res = await post({ name: 'scale_stack', dry_run: true });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.dry_run).toBe(true);
    expect(body.plan.steps[0].argv.slice(-3)).toEqual(['--scale', 'plex=2', 'plex']);
  });

  it('a real run scales plex to 2 on the engine and answers when finished', async () => {
    const res = await post({ name: 'scale_stack' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', returncode: 0, run: { state: 'succeeded', intent: 'scale_stack' } });
    const plex = (await engine.listComposeContainers()).filter((c) => c.project === 'stack-media' && c.service === 'plex' && c.state === 'running');
    expect(plex).toHaveLength(2);
    const requested = test.ctx.audit.list({ limit: 1000 }).find((e) => e.type === 'run.requested');
    expect(JSON.stringify(requested?.data)).toContain('approved-by-gemini');
  });

  it('an unknown name is a 404 with a stable code', async () => {
    const res = await post({ name: 'nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'E_INTENT_NOT_FOUND' } });
  });
});
