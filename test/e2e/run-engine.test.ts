import { afterAll, beforeAll, expect, it } from 'vitest';
import { requestRun } from '../../src/commands/runs.js';
import { createEngineClient } from '../../src/docker/engine.js';
import type { EngineClient } from '../../src/docker/engine-types.js';
import { adminCaller, countingSys, makeTestApp, type TestApp } from '../helpers/test-app.js';
import { describeEngine, dockerCli, removeProject, TEST_IMAGE, uniqueProjectName } from './engine.js';

/** The whole path on a real engine: intent → plan → audit → compose → Engine API. */
describeEngine('runs on the real engine', () => {
  const stack = uniqueProjectName('run');
  let app: TestApp;
  let sys: ReturnType<typeof countingSys>;
  let engine: EngineClient;

  const intent = (name: string, steps: string, params = '') => `apiVersion: oresi.dev/v1
kind: Intent
name: ${name}
stack: ${stack}
timeoutSeconds: 120
${params}steps:
${steps}`;

  beforeAll(async () => {
    app = await makeTestApp({
      stacks: { [stack]: `services:\n  web:\n    image: ${TEST_IMAGE}\n    network_mode: none\n    command: ["sleep", "600"]\n    stop_grace_period: 1s\n` },
      intents: {
        'up.yaml': intent('up', '  - action: up\n'),
        'scale.yaml': intent('scale', '  - action: scale\n    service: web\n    replicas: { param: replicas }\n', 'params:\n  replicas: { type: integer, min: 0, max: 4 }\n'),
        'restart.yaml': intent('restart', '  - action: restart\n    service: web\n'),
        'pull.yaml': intent('pull', '  - action: pull\n'),
        'fails.yaml': intent('fails', '  - action: logs\n    service: web\n  - action: scale\n    service: web\n    replicas: 1\n'),
      },
      sys: (real) => (sys = countingSys(real)),
    });
    engine = createEngineClient({ host: process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock' });
  });
  afterAll(async () => {
    await removeProject(stack);
    await engine?.close();
    await app?.close();
  });

  const running = async () => (await engine.listComposeContainers()).filter((c) => c.project === stack && c.service === 'web' && c.state === 'running');
  const wait = { waitMs: 120_000 };

  it('brings the stack up and scales 1 → 3 → 1, read back from the Engine API', async () => {
    expect((await requestRun(app.ctx, adminCaller, { intent: 'up', ...wait })).state).toBe('succeeded');
    expect(await running()).toHaveLength(1);
    const up3 = await requestRun(app.ctx, adminCaller, { intent: 'scale', params: { replicas: 3 }, ...wait });
    expect(up3.state).toBe('succeeded');
    expect(up3.steps[0]?.argv).toContain('web=3');
    expect(await running()).toHaveLength(3);
    expect((await requestRun(app.ctx, adminCaller, { intent: 'scale', params: { replicas: '1' }, ...wait })).state).toBe('succeeded');
    expect(await running()).toHaveLength(1);
  });

  it('restarts: the container keeps its id and has a new start time', async () => {
    const startedAt = async (id: string) => (await dockerCli(['inspect', '-f', '{{.State.StartedAt}}', id], { check: true })).stdout.trim();
    const [before] = await running();
    const t0 = await startedAt(before!.id);
    const run = await requestRun(app.ctx, adminCaller, { intent: 'restart', ...wait });
    expect(run.state).toBe('succeeded');
    const [after] = await running();
    expect(after?.id).toBe(before?.id);
    expect(await startedAt(after!.id)).not.toBe(t0);
  });

  it('pulls the image from the local registry', async () => {
    const run = await requestRun(app.ctx, adminCaller, { intent: 'pull', ...wait });
    expect(run.state).toBe('succeeded');
    expect(run.steps[0]?.exitCode).toBe(0);
  });

  it('a second run on a busy stack gets E_STACK_BUSY, and only one executes', async () => {
    const results = await Promise.allSettled([
      requestRun(app.ctx, adminCaller, { intent: 'restart', ...wait }),
      requestRun(app.ctx, adminCaller, { intent: 'restart', ...wait }),
    ]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const busy = results.filter((r) => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(busy).toHaveLength(1);
    expect((busy[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'E_STACK_BUSY' });
  });

  it('every spawned step has a committed step.started record before it, and the chain verifies', async () => {
    const events = app.ctx.audit.list({ limit: 10_000 });
    const started = events.filter((e) => e.type === 'step.started').map((e) => (e.data as { argv: string[] }).argv.join(' '));
    const composeSpawns = sys.spawns.filter((argv) => argv.includes('--project-name')).map((a) => a.join(' '));
    expect(composeSpawns.length).toBeGreaterThan(0);
    expect(started).toEqual(composeSpawns);
    expect(app.ctx.audit.verify()).toMatchObject({ ok: true });
  });

  it('fail closed: with the audit store failing, a run is refused with E_AUDIT_UNAVAILABLE and nothing spawns', async () => {
    const before = sys.spawns.length;
    const append = app.ctx.audit.append;
    app.ctx.audit.append = async () => { throw new (await import('../../src/errors.js')).AppError('E_AUDIT_UNAVAILABLE', 'disk full (test)'); };
    try {
      await expect(requestRun(app.ctx, adminCaller, { intent: 'restart', ...wait })).rejects.toMatchObject({ code: 'E_AUDIT_UNAVAILABLE' });
    } finally {
      app.ctx.audit.append = append;
    }
    expect(sys.spawns.length).toBe(before);
    // The lock was released: the next run goes through.
    expect((await requestRun(app.ctx, adminCaller, { intent: 'restart', ...wait })).state).toBe('succeeded');
  });
});
