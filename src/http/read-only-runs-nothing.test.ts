import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countingSys, makeTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { requestRollback, requestRollout } from '../commands/rollout.js';
import type { Caller } from '../model.js';
import { generateApiKey, hashApiKey } from './api-keys.js';
import { createServer } from './server.js';

// Regression: `POST /v1/stacks/<any>/rollout {"sync": true}` with a read-only key ran
// `git pull --ff-only` in the stacks root before the access check; the reply was 404 but the
// checkout had moved. Every mutating route is driven here with a read-only key, and nothing may
// spawn and the checkout may not move.

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' }).trim();

const COMPOSE = 'services:\n  app:\n    image: busybox\n';
const INTENT = 'apiVersion: oresi.dev/v1\nkind: Intent\nname: web-restart\nstack: web\nsteps:\n  - action: restart\n    service: app\n';
const viewerKey = generateApiKey();

/** A plausible body per mutating route, so each reaches its command rather than a 400. */
const BODIES: Record<string, unknown> = {
  'POST /run': { name: 'web-restart', dry_run: false },
  'POST /v1/runs': { intent: 'web-restart', reason: 'probe' },
  'POST /v1/intents/{name}/plan': { params: {} },
  'POST /v1/runs/{id}/approve': { comment: 'probe' },
  'POST /v1/runs/{id}/deny': { reason: 'probe' },
  'POST /v1/runs/{id}/cancel': undefined,
  'POST /v1/stacks/{name}/rollout': { sync: true, reason: 'probe' },
  'POST /v1/stacks/{name}/rollback': { reason: 'probe' },
};
const FILL: Record<string, string[]> = { name: ['web', 'web-restart', 'nonexistent'], id: ['00000000-0000-4000-8000-000000000000'] };

let upstream: string;
let test: TestApp;
let sys: ReturnType<typeof countingSys>;
let app: FastifyInstance;
let headBefore: string;

beforeAll(async () => {
  upstream = await mkdtemp(join(tmpdir(), 'oresi-upstream-'));
  test = await makeTestApp({
    stacks: {},
    intents: { 'web-restart.yaml': INTENT },
    config: {
      approvals: { require: { quorum: 2 } },
      roles: { viewer: { readOnly: true } },
      principals: [{ name: 'victor', roles: ['viewer'], keys: [{ id: 'v', sha256: hashApiKey(viewerKey) }] }],
    },
    sys: (real) => (sys = countingSys(real)),
    prepare: async ({ stacksRoot }) => {
      // The stacks root is a clone one commit behind its upstream: a sync would move it.
      git(upstream, 'init', '-q', '-b', 'main');
      await execFileSync('mkdir', ['-p', join(upstream, 'web')]);
      await writeFile(join(upstream, 'web', 'compose.yaml'), COMPOSE);
      git(upstream, 'add', '.');
      git(upstream, 'commit', '-q', '-m', 'one');
      await rm(stacksRoot, { recursive: true, force: true });
      git(tmpdir(), 'clone', '-q', upstream, stacksRoot);
      await writeFile(join(upstream, 'web', 'compose.yaml'), COMPOSE.replace('busybox', 'busybox:unreviewed'));
      git(upstream, 'commit', '-q', '-am', 'two');
    },
  });
  headBefore = git(test.stacksRoot, 'rev-parse', 'HEAD');
  app = await createServer(test.ctx, { logger: { level: 'silent' }, version: 'test' });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await test?.close();
  await rm(upstream, { recursive: true, force: true });
});

function mutatingRoutes(): string[] {
  const doc = app.swagger() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).filter((m) => m !== 'get' && m !== 'head' && m !== 'options').map((m) => `${m.toUpperCase()} ${path}`));
}

function urlsFor(route: string): string[] {
  const path = route.slice(route.indexOf(' ') + 1);
  const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
  let urls = [path];
  for (const p of params) urls = urls.flatMap((u) => (FILL[p] ?? ['x']).map((v) => u.replace(`{${p}}`, v)));
  return urls;
}

describe('a read-only key on every mutating route', () => {
  it('every mutating route in the API has a body here (a new route must join this test)', () => {
    expect(mutatingRoutes().sort()).toEqual(Object.keys(BODIES).sort());
  });

  it('is refused, spawns nothing, and leaves the stacks checkout where it was', async () => {
    sys.spawns.length = 0;
    const seen: string[] = [];
    for (const route of mutatingRoutes()) {
      for (const url of urlsFor(route)) {
        const body = BODIES[route];
        const res = await app.inject({
          method: 'POST', url, headers: { authorization: `Bearer ${viewerKey}` },
          ...(body === undefined ? {} : { payload: body as object }),
        });
        seen.push(`${url} ${res.statusCode}`);
        // A plan is a read and may be answered; nothing else may succeed.
        if (!route.endsWith('/plan')) expect(res.statusCode, `${url}: ${res.body}`).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(500);
      }
    }
    expect(seen.length).toBeGreaterThanOrEqual(Object.keys(BODIES).length);
    expect(sys.spawns, seen.join('\n')).toEqual([]);
    expect(git(test.stacksRoot, 'rev-parse', 'HEAD')).toBe(headBefore);
  });

  it('the rollout and rollback verbs themselves refuse a read-only caller before any spawn', async () => {
    const roles = test.ctx.config.roles;
    const caller: Caller = { principal: { name: 'victor', roleNames: ['viewer'], roles: [roles['viewer']!], via: 'cli' }, source: 'cli' };
    sys.spawns.length = 0;
    for (const stacks of [['web'], ['nonexistent'], 'all'] as const) {
      await expect(requestRollout(test.ctx, caller, { stacks, sync: true })).rejects.toMatchObject({ code: 'E_FORBIDDEN' });
    }
    await expect(requestRollback(test.ctx, caller, { stack: 'web' })).rejects.toMatchObject({ code: expect.stringMatching(/^E_(FORBIDDEN|NOT_FOUND)$/) });
    expect(sys.spawns).toEqual([]);
    expect(git(test.stacksRoot, 'rev-parse', 'HEAD')).toBe(headBefore);
  });

  it('a caller who may run but needs approvals is refused before the sync too', async () => {
    const caller: Caller = {
      principal: { name: 'otto', roleNames: ['ops'], roles: [{ intents: ['*'], stacks: ['*'], actions: ['rollout'] } as never], via: 'cli' },
      source: 'cli',
    };
    sys.spawns.length = 0;
    await expect(requestRollout(test.ctx, caller, { stacks: ['web'], sync: true })).rejects.toMatchObject({ code: 'E_APPROVAL_REQUIRED' });
    expect(sys.spawns).toEqual([]);
    expect(git(test.stacksRoot, 'rev-parse', 'HEAD')).toBe(headBefore);
  });
});
