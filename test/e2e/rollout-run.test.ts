import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/audit/types.js';
import { getRun, requestRun } from '../../src/commands/runs.js';
import { generateApiKey, hashApiKey } from '../../src/http/api-keys.js';
import { createServer, stopServer } from '../../src/http/server.js';
import type { Sys } from '../../src/sys/sys.js';
import { cli } from '../helpers/cli.js';
import { adminCaller, countingSys, makeTestApp, type TestApp } from '../helpers/test-app.js';
import { startRecordingServer, type RecordingServer } from '../stand-ins/sinks.js';
import { composeCli, describeEngine, dockerCli, TEST_IMAGE, TEST_REGISTRY, uniqueProjectName, pushImageVariant, removeRolloutLeftovers } from './engine.js';

/**
 * The health-checked rollout as THE way the `rollout` action runs, on the real engine and the
 * bed's registry: an intent run that rolls back by itself, `oresi rollout --dry-run`, and the
 * stacks API. Each new image goes under the one shared tag, as a broken upstream release would.
 */
describeEngine('rollout through runs, the CLI and the API', () => {
  const stack = uniqueProjectName('rollrun');
  const repo = `${TEST_REGISTRY}/oresi-test-${randomBytes(4).toString('hex')}/app`;
  const tag = `${repo}:1.0`;
  const images: Record<'a' | 'bad' | 'b', string> = { a: '', bad: '', b: '' };
  const opsKey = generateApiKey();
  const deployerKey = generateApiKey();
  let builder = '';
  let test: TestApp;
  let counting: ReturnType<typeof countingSys>;
  let sinks: RecordingServer;
  let server: FastifyInstance;
  let base = '';
  // For every spawn: the newest audit event at that moment (it must be that spawn's step.command).
  const spawnAudit: Array<{ argv: string[]; last: AuditEvent | undefined }> = [];

  const compose = `version: "3.8"
services:
  app:
    image: ${tag}
    network_mode: none
    stop_grace_period: 1s
    healthcheck:
      test: ["CMD", "true"]
      interval: 1s
      timeout: 2s
      retries: 2
`;

  const buildAndPush = (cmd: string[], label: string) => pushImageVariant(builder, tag, cmd, label);
  async function running(): Promise<string[]> {
    return (await test.ctx.engine.listComposeContainers())
      .filter((c) => c.project === stack && c.service === 'app' && c.state === 'running')
      .map((c) => c.imageId);
  }
  function lastEvent(): AuditEvent | undefined {
    const head = test?.ctx.audit.checkpoint();
    return head ? test.ctx.audit.list({ afterSeq: head.seq - 1, limit: 1 })[0] : undefined;
  }

  beforeAll(async () => {
    builder = (await dockerCli(['create', TEST_IMAGE], { check: true })).stdout.trim();
    images.a = await buildAndPush(['sleep', '600'], 'a');
    sinks = await startRecordingServer();
    test = await makeTestApp({
      stacks: { [stack]: compose },
      intents: {
        'deploy.yaml': `apiVersion: oresi.dev/v1\nkind: Intent\nname: deploy\nstack: ${stack}\ntimeoutSeconds: 300\nsteps:\n  - action: rollout\n    healthTimeoutSeconds: 60\n`,
      },
      config: {
        notify: {
          sinks: { hook: { type: 'webhook', url: `${sinks.url}/hook` } },
          routes: [{ events: ['run.rolled_back'], sinks: ['hook'] }],
          retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 20 },
        },
        roles: { ops: {}, deployer: { actions: ['rollout'] } },
        principals: [
          { name: 'ops', roles: ['ops'], keys: [{ sha256: hashApiKey(opsKey) }] },
          { name: 'deployer', roles: ['deployer'], keys: [{ sha256: hashApiKey(deployerKey) }] },
        ],
      },
      sys: (real): Sys => {
        counting = countingSys(real);
        const spawn = ((cmd: string, args: readonly string[], opts: object) => {
          spawnAudit.push({ argv: [cmd, ...args], last: lastEvent() });
          return counting.spawn(cmd, args, opts);
        }) as Sys['spawn'];
        return { ...counting, spawn };
      },
    });
    await composeCli(['up', '-d'], { cwd: join(test.stacksRoot, stack), project: stack }, { check: true });
    server = await createServer(test.ctx, { logger: { level: 'silent' }, version: 'e2e' });
    // Until the lead registers the stacks routes in server.ts, the test adds them itself.
    await server.listen({ host: '127.0.0.1', port: 0 });
    const addr = server.server.address();
    if (!addr || typeof addr === 'string') throw new Error('no address');
    base = `http://127.0.0.1:${addr.port}`;
  }, 180_000);

  afterAll(async () => {
    if (server) await stopServer(server, test.ctx, 30_000);
    await removeRolloutLeftovers(stack, builder, Object.values(images));
    await test?.close();
    await sinks?.close();
  }, 120_000);

  it('an intent rollout to a broken image waits for health, rolls back by itself, ends rolled_back and alerts', async () => {
    expect(await running()).toEqual([images.a]);
    images.bad = await buildAndPush(['false'], 'bad');
    const spawnsBefore = counting.spawns.length;
    spawnAudit.length = 0;

    const run = await requestRun(test.ctx, adminCaller, { intent: 'deploy', waitMs: 240_000 });
    expect(run.state, JSON.stringify(run.steps)).toBe('rolled_back');
    // The previous image runs again.
    expect(await running()).toEqual([images.a]);

    // The run view says so honestly: the step failed, its output names the rollback.
    const view = getRun(test.ctx, adminCaller, run.id);
    expect(view.state).toBe('rolled_back');
    expect(view.steps).toHaveLength(1);
    expect(view.steps[0]).toMatchObject({ action: 'rollout', outcome: 'failed' });
    expect(view.steps[0]?.stdout).toMatch(/rollout [a-z0-9-]+ of stack .*: rolled back/);
    expect(view.steps[0]?.stdout).toContain('verified');
    expect(view.steps[0]?.stderr).toMatch(/rolled back to the recorded images/);

    // Every spawn of the run was preceded by its own committed step.command record.
    const spawned = counting.spawns.slice(spawnsBefore);
    expect(spawned.map((a) => a.includes('tag') ? 'tag' : a.includes('pull') ? 'pull' : a.includes('up') ? 'up' : a.join(' ')))
      .toEqual(['tag', 'pull', 'up', 'up']);
    expect(spawnAudit).toHaveLength(spawned.length);
    for (const s of spawnAudit) {
      expect(s.last?.type).toBe('step.command');
      expect(s.last?.runId).toBe(run.id);
      expect(s.last?.data).toMatchObject({ stage: 'spawn', argv: s.argv });
    }
    const events = test.ctx.audit.list({ afterSeq: 0, limit: 10_000, runId: run.id });
    const commands = events.filter((e) => e.type === 'step.command');
    expect(commands.map((e) => e.data.stage)).toEqual(['spawn', 'exit', 'spawn', 'exit', 'spawn', 'exit', 'spawn', 'exit']);
    const finished = events.find((e) => e.type === 'step.finished');
    expect(finished?.data.rollout).toMatchObject({ kind: 'rollout', outcome: 'rolled_back', rollback: { verified: true } });
    expect(events.find((e) => e.type === 'run.finished')?.data.state).toBe('rolled_back');

    // The alert names the rolled-back run.
    await test.ctx.alerts.flush(10_000);
    const [hook] = await sinks.waitFor(1);
    const body = JSON.parse(hook?.body ?? '{}') as { event?: { kind?: string; runId?: string } };
    expect(body.event).toMatchObject({ kind: 'run.rolled_back', runId: run.id });
  }, 300_000);

  it('oresi rollout --dry-run shows the image that would move, and spawns no compose up', async () => {
    const { dir, log } = await spawnLogger(join(test.root, 'bin'));
    const config = join(test.root, 'cli.yaml');
    const cfg = test.ctx.config;
    await writeFile(config, `stacksRoot: ${cfg.stacksRoot}\nintentsDir: ${cfg.intentsDir}\ndataDir: ${cfg.dataDir}\n`);
    const points = await listPoints();
    const r = await rolloutCli(['--config', config, 'rollout', stack, '--dry-run', '--no-pull'], { PATH: `${dir}${delimiter}${process.env.PATH ?? ''}` });
    expect(r.code, r.stderr).toBe(0);
    const line = JSON.parse(r.stdout.trim().split('\n')[0] ?? '{}') as { stack: string; ok: boolean; dryRun?: { changes: Array<Record<string, unknown>> } };
    expect(line).toMatchObject({ stack, ok: true });
    expect(line.dryRun?.changes).toEqual([expect.objectContaining({ service: 'app', currentImageId: images.a, localImageId: images.bad, wouldChange: true, wouldPull: false })]);
    const calls = (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean);
    // The shims did see oresi's processes (the compose dialect probe), so an up would have shown.
    expect(calls.some((c) => c.includes('version'))).toBe(true);
    expect(calls.filter((c) => / up( |$)/.test(c) || / tag /.test(c) || / pull( |$)/.test(c))).toEqual([]);
    expect(await listPoints()).toEqual(points);
    expect(await running()).toEqual([images.a]);

    const usage = await rolloutCli(['--config', config, 'rollout']);
    expect(usage.code).toBe(2);
  }, 120_000);

  it('POST /v1/stacks/:name/rollout?wait=true on a good image succeeds; rollback to that rollout restores the one before', async () => {
    images.b = await buildAndPush(['sleep', '601'], 'b');
    const res = await call('POST', `/v1/stacks/${stack}/rollout?wait=true`, { pull: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ intent: 'rollout', stack, state: 'succeeded' });
    expect(await running()).toEqual([images.b]);

    const finished = test.ctx.audit.list({ afterSeq: 0, limit: 1000, runId: res.body.id as string }).find((e) => e.type === 'step.finished');
    const rolloutId = (finished?.data.rollout as { rolloutId?: string } | undefined)?.rolloutId;
    expect(rolloutId).toMatch(/^[a-z0-9-]+$/);

    expect((await call('POST', `/v1/stacks/${stack}/rollback?wait=true`, { to: 'no-such-rollout' })).status).toBe(404);
    // RBAC uses the action names: a role that may roll out may not roll back; nothing spawns for it.
    const spawns = counting.spawns.length;
    expect((await call('POST', `/v1/stacks/${stack}/rollback?wait=true`, { to: rolloutId }, deployerKey)).status).toBe(403);
    expect(counting.spawns.length).toBe(spawns);
    expect((await call('POST', `/v1/stacks/${stack}/rollout`, { services: ['--all'] })).status).toBe(400);
    const back = await call('POST', `/v1/stacks/${stack}/rollback?wait=true`, { to: rolloutId });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(back.body).toMatchObject({ intent: 'rollback', state: 'succeeded' });
    expect(await running()).toEqual([images.a]);
  }, 300_000);

  async function call(method: string, path: string, body?: unknown, key = opsKey) {
    const headers: Record<string, string> = { authorization: `Bearer ${key}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  async function listPoints(): Promise<string[]> {
    const { readdir } = await import('node:fs/promises');
    return readdir(join(test.ctx.config.dataDir, 'rollouts', stack)).catch(() => []);
  }
});

/** docker and docker-compose shims first on PATH that log each argv, then exec the real binary. */
async function spawnLogger(dir: string): Promise<{ dir: string; log: string }> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const log = join(dir, 'calls.log');
  for (const name of ['docker', 'docker-compose']) {
    const real = await findOnPath(name);
    if (!real) continue;
    const file = join(dir, name);
    await writeFile(file, `#!/bin/sh\nprintf '%s\\n' "${name} $*" >> '${log}'\nexec '${real}' "$@"\n`);
    await chmod(file, 0o755);
  }
  return { dir, log };
}

async function findOnPath(name: string): Promise<string | null> {
  const { access } = await import('node:fs/promises');
  for (const d of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(d, name);
    if (await access(candidate, 1).then(() => true, () => false)) return candidate;
  }
  return null;
}

function rolloutCli(args: string[], env: Record<string, string> = {}) {
  return cli(args, { env });
}
