import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEngineClient } from '../../src/docker/engine.js';
import type { EngineClient } from '../../src/docker/engine-types.js';
import { createServer, stopServer } from '../../src/http/server.js';
import { registerWebhookRoutes, type WebhookRoutes } from '../../src/webhooks/routes.js';
import { WebhooksConfig } from '../../src/config/webhook-schema.js';
import { countingSys, makeTestApp, type TestApp } from '../helpers/test-app.js';
import { describeEngine, removeProject, TEST_IMAGE, uniqueProjectName } from './engine.js';
import { git, githubHeaders, giteaHeaders, makeGitBed, pushChange, pushPayload, type GitBed } from './webhook-fixture.js';

/**
 * GitOps end to end over a real socket: a developer pushes a compose change to the bare origin,
 * the signed webhook fast-forwards the stacks clone and the rollout brings the change up on the
 * real engine. A replay, a bad signature and another branch change nothing.
 */
describeEngine('signed git webhooks on the real engine', () => {
  const stack = uniqueProjectName('hook');
  const secret = 'e2e-github-secret-0123456789';
  const giteaSecret = 'e2e-gitea-secret-0123456789';
  const service = (name: string) => `  ${name}:\n    image: ${TEST_IMAGE}\n    network_mode: none\n    command: ["sleep", "600"]\n    stop_grace_period: 1s\n`;
  let test: TestApp;
  let sys: ReturnType<typeof countingSys>;
  let bed: GitBed;
  let engine: EngineClient;
  let app: FastifyInstance;
  let hooks: WebhookRoutes;
  let base = '';

  beforeAll(async () => {
    test = await makeTestApp({
      stacks: { [stack]: `services:\n${service('web')}` },
      intents: { 'up.yaml': `apiVersion: oresi.dev/v1\nkind: Intent\nname: rollout-all\nstack: ${stack}\ntimeoutSeconds: 120\nsteps:\n  - action: up\n` },
      config: { roles: { deployer: { intents: ['rollout-*'], stacks: [stack] } } },
      env: { ORESI_GITHUB_WEBHOOK_SECRET: secret, ORESI_GITEA_WEBHOOK_SECRET: giteaSecret },
      prepare: async ({ root, stacksRoot }) => { bed = makeGitBed(root, stacksRoot); },
      sys: (real) => (sys = countingSys(real)),
    });
    engine = createEngineClient({ host: process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock' });
    app = await createServer(test.ctx, { logger: { level: 'silent' }, version: 'e2e' });
    hooks = registerWebhookRoutes(app, test.ctx, {
      config: WebhooksConfig.parse({
        github: { repo: 'homelab/stacks', branch: 'main', intents: ['rollout-all'], role: 'deployer' },
        gitea: { repo: 'homelab/stacks', branch: 'main', intents: ['rollout-all'], role: 'deployer' },
      }),
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    if (!addr || typeof addr === 'string') throw new Error('no address');
    base = `http://127.0.0.1:${addr.port}`;
  });
  afterAll(async () => {
    await hooks?.idle();
    if (app) await stopServer(app, test.ctx, 30_000);
    await removeProject(stack);
    await engine?.close();
    await test?.close();
  });

  const services = async () => (await engine.listComposeContainers()).filter((c) => c.project === stack && c.state === 'running').map((c) => c.service).sort();
  const send = (path: string, body: string, headers: Record<string, string>) => fetch(`${base}${path}`, { method: 'POST', body, headers });
  const composeSpawns = () => sys.spawns.filter((a) => a.includes('--project-name')).length;

  it('a signed push rolls the pushed compose file out', async () => {
    const sha = await pushChange(bed.dev, `${stack}/compose.yaml`, `services:\n${service('web')}${service('worker')}`);
    const body = pushPayload('homelab/stacks', 'refs/heads/main', sha);
    const res = await send('/v1/hooks/github', body, githubHeaders(secret, body, 'e2e-1'));
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ status: 'accepted', commit: sha });
    await hooks.idle();
    expect(git(test.stacksRoot, 'rev-parse', 'HEAD')).toBe(sha);
    expect(await services()).toEqual(['web', 'worker']);
    const [run] = test.ctx.audit.listRuns({ limit: 1 }).runs;
    expect(run).toMatchObject({ intent: 'rollout-all', state: 'succeeded', requestedBy: 'webhook:github', source: 'webhook' });
  });

  it('the same delivery again runs nothing', async () => {
    const sha = git(test.stacksRoot, 'rev-parse', 'HEAD');
    const body = pushPayload('homelab/stacks', 'refs/heads/main', sha);
    const before = composeSpawns();
    const res = await send('/v1/hooks/github', body, githubHeaders(secret, body, 'e2e-1'));
    await hooks.idle();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'duplicate' });
    expect(composeSpawns()).toBe(before);
  });

  it('a tampered, unsigned or wrongly signed delivery is 401 and changes nothing', async () => {
    const sha = await pushChange(bed.dev, `${stack}/compose.yaml`, `services:\n${service('web')}`);
    const body = pushPayload('homelab/stacks', 'refs/heads/main', sha);
    const before = { spawns: composeSpawns(), head: git(test.stacksRoot, 'rev-parse', 'HEAD') };
    const good = githubHeaders(secret, body, 'e2e-2');
    const { 'x-hub-signature-256': _sig, ...unsigned } = good;
    const giteaGood = giteaHeaders(giteaSecret, body, 'e2e-2g');
    for (const [path, b, h] of [
      ['/v1/hooks/github', body.replace('refs/heads/main', 'refs/heads/mainx'), good],
      ['/v1/hooks/github', body, unsigned],
      ['/v1/hooks/gitea', body, { ...giteaGood, 'x-gitea-signature': `sha256=${giteaGood['x-gitea-signature']}` }],
    ] as const) {
      expect((await send(path, b, h)).status).toBe(401);
    }
    await hooks.idle();
    expect({ spawns: composeSpawns(), head: git(test.stacksRoot, 'rev-parse', 'HEAD') }).toEqual(before);
    expect(await services()).toEqual(['web', 'worker']);
  });

  it('a push to another branch is ignored: no pull, no run', async () => {
    const sha = await pushChange(bed.dev, `${stack}/compose.yaml`, `services:\n${service('other')}`, 'feature');
    const body = pushPayload('homelab/stacks', 'refs/heads/feature', sha);
    const before = { spawns: composeSpawns(), head: git(test.stacksRoot, 'rev-parse', 'HEAD') };
    const res = await send('/v1/hooks/gitea', body, giteaHeaders(giteaSecret, body, 'e2e-3'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ignored' });
    await hooks.idle();
    expect({ spawns: composeSpawns(), head: git(test.stacksRoot, 'rev-parse', 'HEAD') }).toEqual(before);
  });

  it('every delivery is in the audit trail, and the chain verifies', () => {
    const received = test.ctx.audit.list({ limit: 10_000 }).filter((e) => e.type === 'webhook.received').map((e) => `${String(e.data.delivery)}:${String(e.data.outcome)}`);
    expect(received).toEqual(['e2e-1:accepted', 'e2e-1:duplicate', 'e2e-3:ignored']);
    expect(test.ctx.audit.list({ limit: 10_000 }).filter((e) => e.type === 'auth.failed' && e.data.reason === 'webhook-signature').length).toBeGreaterThanOrEqual(1);
    expect(test.ctx.audit.verify()).toMatchObject({ ok: true });
  });
});
