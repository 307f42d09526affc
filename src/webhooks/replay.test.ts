import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubHeaders, giteaHeaders, makeGitBed, pushChange, pushPayload, type GitBed } from '../../test/e2e/webhook-fixture.js';
import { countingSys, makeTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { createServer } from '../http/server.js';
import { registerWebhookRoutes, type WebhookRoutes } from './routes.js';
import { WebhooksConfig } from '../config/webhook-schema.js';

const secret = 'github-secret-0123456789';
const giteaSecret = 'gitea-secret-0123456789';
const intent = `apiVersion: oresi.dev/v1\nkind: Intent\nname: web-status\nstack: web\nsteps:\n  - action: status\n`;
const config = WebhooksConfig.parse({
  github: { repo: 'homelab/stacks', intents: ['web-status'], role: 'deployer' },
  gitea: { repo: 'homelab/stacks', intents: ['web-status'], role: 'deployer' },
});

describe('a push replayed under fresh delivery ids runs once (real git, real SQLite)', () => {
  let test: TestApp;
  let sys: ReturnType<typeof countingSys>;
  const apps: { app: FastifyInstance; hooks: WebhookRoutes }[] = [];
  let bed: GitBed;

  async function serve(): Promise<{ app: FastifyInstance; hooks: WebhookRoutes }> {
    const app = await createServer(test.ctx, { logger: { level: 'silent' }, version: 'test' });
    const hooks = registerWebhookRoutes(app, test.ctx, { config });
    await app.ready();
    apps.push({ app, hooks });
    return { app, hooks };
  }

  beforeAll(async () => {
    test = await makeTestApp({
      stacks: { web: 'services:\n  app:\n    image: busybox\n    network_mode: none\n' },
      intents: { 'status.yaml': intent },
      config: { roles: { deployer: { intents: ['web-*'], stacks: ['web'] } } },
      env: { ORESI_GITHUB_WEBHOOK_SECRET: secret, ORESI_GITEA_WEBHOOK_SECRET: giteaSecret },
      prepare: async ({ root, stacksRoot }) => { bed = makeGitBed(root, stacksRoot); },
      sys: (real) => (sys = countingSys(real)),
    });
  });
  afterAll(async () => {
    for (const { app, hooks } of apps) {
      await hooks.idle();
      await app.close();
    }
    await test?.close();
  });

  const runs = () => test.ctx.audit.listRuns({ limit: 200 }).runs;
  const received = (after: string) => test.ctx.audit.list({ limit: 10_000 }).filter((e) => e.type === 'webhook.received' && e.data.after === after);
  /** `ps --all`: the one step of the intent, so one per run that spawned. */
  const composeSpawns = () => sys.spawns.filter((argv) => argv.includes('ps')).length;

  it.each([
    ['github', secret, githubHeaders],
    ['gitea', giteaSecret, giteaHeaders],
  ] as const)('%s: 20 signed deliveries of one push with distinct ids → one run; a new commit runs again', async (provider, key, headers) => {
    const { app, hooks } = await serve();
    const sha = await pushChange(bed.dev, 'web/notes.txt', `${provider} once\n`);
    const body = pushPayload('homelab/stacks', 'refs/heads/main', sha);
    const before = { runs: runs().length, spawns: composeSpawns() };
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      app.inject({ method: 'POST', url: `/v1/hooks/${provider}`, payload: body, headers: headers(key, body, `${provider}-replay-${i}`) })));
    await hooks.idle();
    expect(replies.filter((r) => r.statusCode === 202)).toHaveLength(1);
    const duplicates = replies.filter((r) => r.statusCode === 200);
    expect(duplicates).toHaveLength(19);
    for (const d of duplicates) expect(d.json()).toMatchObject({ status: 'duplicate', reason: expect.stringContaining(`commit ${sha.slice(0, 12)}`) });
    expect(runs().length - before.runs).toBe(1);
    expect(composeSpawns() - before.spawns).toBe(1);
    expect(received(sha).map((e) => e.data.outcome).sort()).toEqual(['accepted', ...Array<string>(19).fill('duplicate')]);

    // Durable: a server started later over the same data dir still knows the commit was handled.
    const later = await serve();
    const again = await later.app.inject({ method: 'POST', url: `/v1/hooks/${provider}`, payload: body, headers: headers(key, body, `${provider}-replay-later`) });
    expect([again.statusCode, again.json().status]).toEqual([200, 'duplicate']);

    const next = await pushChange(bed.dev, 'web/notes.txt', `${provider} twice\n`);
    const nextBody = pushPayload('homelab/stacks', 'refs/heads/main', next);
    const fresh = await app.inject({ method: 'POST', url: `/v1/hooks/${provider}`, payload: nextBody, headers: headers(key, nextBody, `${provider}-next`) });
    await hooks.idle();
    expect(fresh.statusCode).toBe(202);
    expect(runs().length - before.runs).toBe(2);
  });
});
