import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, githubHeaders, giteaHeaders, makeGitBed, pushChange, pushPayload, type GitBed } from '../../test/e2e/webhook-fixture.js';
import { makeTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { createServer } from '../http/server.js';
import { registerWebhookRoutes, type WebhookRoutes } from './routes.js';
import { WebhooksConfig } from '../config/webhook-schema.js';

const secret = 'github-secret-0123456789';
const giteaSecret = 'gitea-secret-0123456789';
const intent = `apiVersion: oresi.dev/v1\nkind: Intent\nname: web-status\nstack: web\nsteps:\n  - action: status\n`;

describe('webhook routes (inject, real git, real SQLite)', () => {
  let test: TestApp;
  let app: FastifyInstance;
  let hooks: WebhookRoutes;
  let bed: GitBed;
  let delivery = 0;
  const nextId = () => `d-${++delivery}`;
  const config = WebhooksConfig.parse({
    github: { repo: 'homelab/stacks', intents: ['web-status'], role: 'deployer' },
    gitea: { repo: 'homelab/stacks', intents: ['web-status'], role: 'deployer' },
  });

  beforeAll(async () => {
    test = await makeTestApp({
      stacks: { web: 'services:\n  app:\n    image: busybox\n    network_mode: none\n' },
      intents: { 'status.yaml': intent },
      config: { roles: { deployer: { intents: ['web-*'], stacks: ['web'] } } },
      env: { ORESI_GITHUB_WEBHOOK_SECRET: secret, ORESI_GITEA_WEBHOOK_SECRET: giteaSecret },
      prepare: async ({ root, stacksRoot }) => { bed = makeGitBed(root, stacksRoot); },
    });
    app = await createServer(test.ctx, { logger: { level: 'silent' }, version: 'test' });
    hooks = registerWebhookRoutes(app, test.ctx, { config });
    await app.ready();
  });
  afterAll(async () => {
    await hooks?.idle();
    await app?.close();
    await test?.close();
  });

  const post = (path: string, body: string, headers: Record<string, string>) => app.inject({ method: 'POST', url: path, payload: body, headers });
  const runs = () => test.ctx.audit.listRuns({ limit: 100 }).runs;
  const events = (type: string) => test.ctx.audit.list({ limit: 10_000 }).filter((e) => e.type === type);
  const head = () => git(test.stacksRoot, 'rev-parse', 'HEAD');

  it('a signed push to main pulls and requests the intent as webhook:github, without an API key', async () => {
    const sha = await pushChange(bed.dev, 'web/notes.txt', 'one\n');
    const body = pushPayload('homelab/stacks', 'refs/heads/main', sha);
    const res = await post('/v1/hooks/github', body, githubHeaders(secret, body, 'gh-1'));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ status: 'accepted', commit: sha, changed: true, intents: ['web-status'], delivery: 'gh-1' });
    expect(head()).toBe(sha);
    await hooks.idle();
    expect(runs()).toHaveLength(1);
    expect(runs()[0]).toMatchObject({ intent: 'web-status', requestedBy: 'webhook:github', source: 'webhook' });
    expect(events('webhook.received').at(-1)).toMatchObject({ actor: 'webhook:github', data: { provider: 'github', delivery: 'gh-1', outcome: 'accepted', after: sha } });
    expect(events('webhook.processed').at(-1)).toMatchObject({ data: { delivery: 'gh-1', pull: { ok: true, after: sha }, runs: [{ intent: 'web-status' }] } });
    // What was pulled (intents, .env secrets) is re-read before the runs plan.
    expect(events('config.loaded').at(-1)).toMatchObject({ data: { reason: 'webhook github delivery gh-1' } });
  });

  it('a replayed delivery runs once', async () => {
    const sha = await pushChange(bed.dev, 'web/notes.txt', 'two\n');
    const body = pushPayload('homelab/stacks', 'refs/heads/main', sha);
    const before = runs().length;
    const first = await post('/v1/hooks/github', body, githubHeaders(secret, body, 'gh-replay'));
    await hooks.idle();
    const second = await post('/v1/hooks/github', body, githubHeaders(secret, body, 'gh-replay'));
    await hooks.idle();
    expect(first.statusCode).toBe(202);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ status: 'duplicate' });
    expect(runs().length).toBe(before + 1);
    expect(events('webhook.received').filter((e) => e.data.delivery === 'gh-replay').map((e) => e.data.outcome)).toEqual(['accepted', 'duplicate']);
  });

  it.each([
    ['tampered body', (b: string) => ({ body: b.replace('homelab', 'homelaB'), headers: githubHeaders(secret, b, nextId()) })],
    ['missing signature', (b: string) => { const h = githubHeaders(secret, b, nextId()); delete h['x-hub-signature-256']; return { body: b, headers: h }; }],
    ['wrong secret', (b: string) => ({ body: b, headers: githubHeaders('not-the-secret-at-all!!', b, nextId()) })],
    ['gitea-style unprefixed signature', (b: string) => { const h = githubHeaders(secret, b, nextId()); h['x-hub-signature-256'] = h['x-hub-signature-256']!.slice(7); return { body: b, headers: h }; }],
  ])('%s → 401, nothing pulled or run', async (_name, make) => {
    const sha = await pushChange(bed.dev, 'web/notes.txt', `${_name}\n`);
    const { body, headers } = make(pushPayload('homelab/stacks', 'refs/heads/main', sha));
    const before = { runs: runs().length, head: head(), received: events('webhook.received').length };
    const res = await post('/v1/hooks/github', body, headers);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'E_UNAUTHENTICATED' } });
    expect({ runs: runs().length, head: head(), received: events('webhook.received').length }).toEqual(before);
  });

  it('Gitea: a sha256=-prefixed signature is refused; the bare hex is accepted', async () => {
    const sha = await pushChange(bed.dev, 'web/notes.txt', 'gitea\n');
    const body = pushPayload('homelab/stacks', 'refs/heads/main', sha);
    const headers = giteaHeaders(giteaSecret, body, 'gt-1');
    const prefixed = await post('/v1/hooks/gitea', body, { ...headers, 'x-gitea-signature': `sha256=${headers['x-gitea-signature']}` });
    expect(prefixed.statusCode).toBe(401);
    const ok = await post('/v1/hooks/gitea', body, headers);
    expect(ok.statusCode).toBe(202);
    await hooks.idle();
    expect(runs()[0]).toMatchObject({ requestedBy: 'webhook:gitea' });
  });

  it('a push to another branch is acknowledged and ignored: no pull, no run', async () => {
    const sha = await pushChange(bed.dev, 'web/notes.txt', 'feature\n', 'feature');
    git(bed.dev, 'checkout', '--quiet', 'main');
    const body = pushPayload('homelab/stacks', 'refs/heads/feature', sha);
    const before = { runs: runs().length, head: head() };
    const res = await post('/v1/hooks/github', body, githubHeaders(secret, body, nextId()));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ignored', reason: expect.stringMatching(/refs\/heads\/feature, not refs\/heads\/main/) });
    await hooks.idle();
    expect({ runs: runs().length, head: head() }).toEqual(before);
  });

  it('a ping event is acknowledged and ignored', async () => {
    const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
    const res = await post('/v1/hooks/github', body, githubHeaders(secret, body, nextId(), 'ping'));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ignored', reason: expect.stringMatching(/only push/) });
  });

  it('a dirty stacks tree refuses the delivery with 409 and runs nothing', async () => {
    const sha = await pushChange(bed.dev, 'web/notes.txt', 'dirty\n');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${test.stacksRoot}/web/compose.yaml`, 'services:\n  app:\n    image: busybox:edited\n');
    const before = runs().length;
    const body = pushPayload('homelab/stacks', 'refs/heads/main', sha);
    try {
      const res = await post('/v1/hooks/github', body, githubHeaders(secret, body, 'gh-dirty'));
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ status: 'refused', error: { code: 'E_CONFLICT', message: expect.stringMatching(/uncommitted changes/) } });
      expect(runs().length).toBe(before);
      expect(events('webhook.processed').at(-1)).toMatchObject({ data: { delivery: 'gh-dirty', pull: { ok: false }, runs: [] } });
    } finally {
      git(test.stacksRoot, 'checkout', '--', 'web/compose.yaml');
    }
    // Redelivery reuses the id: once the checkout is clean again it is processed, not a duplicate.
    const again = await post('/v1/hooks/github', body, githubHeaders(secret, body, 'gh-dirty'));
    expect(again.statusCode).toBe(202);
    expect(again.json()).toMatchObject({ status: 'accepted' });
  });

  it('bad requests after a good signature: no delivery id, bad JSON', async () => {
    const body = '{not json';
    const h = githubHeaders(secret, body, 'x');
    expect((await post('/v1/hooks/github', body, h)).statusCode).toBe(400);
    const good = pushPayload('homelab/stacks', 'refs/heads/main', 'a'.repeat(40));
    const noId = githubHeaders(secret, good, 'x');
    delete noId['x-github-delivery'];
    expect((await post('/v1/hooks/github', good, noId)).statusCode).toBe(400);
  });

  it('the rest of the API still wants an API key and JSON', async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/runs' })).statusCode).toBe(401);
  });

  it('stops start-up when a secret is missing or short, or a role or intent is unknown', () => {
    const bad = (c: unknown, env: Record<string, string> = {}) => () => registerWebhookRoutes(app, { ...test.ctx, sys: { ...test.ctx.sys, env } }, { config: WebhooksConfig.parse(c) });
    const github = { repo: 'a/b', intents: ['web-status'], role: 'deployer' };
    expect(bad({ github })).toThrow(/webhooks.github: no secret; set ORESI_GITHUB_WEBHOOK_SECRET/);
    expect(bad({ github }, { ORESI_GITHUB_WEBHOOK_SECRET: 'short' })).toThrow(/shorter than 16/);
    expect(bad({ github: { ...github, role: 'ghost' } }, { ORESI_GITHUB_WEBHOOK_SECRET: secret })).toThrow(/no role named ghost/);
    expect(bad({ github: { ...github, intents: ['nope'] } }, { ORESI_GITHUB_WEBHOOK_SECRET: secret })).toThrow(/no intent named nope/);
  });
});
