import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { describeEngine, removeProject, runCli, TEST_IMAGE, uniqueProjectName } from './engine.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const KEY = 'crash-test-admin-key-0123456789abcdef';

interface Server { child: ChildProcess; base: string; stderr: () => string }

/** Starts `oresi serve` from dist/ as a real process and waits for its address. */
function startServer(config: string): Promise<Server> {
  const child = spawn(process.execPath, [join(repo, 'dist/main.js'), 'serve', '--config', config], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DOCKER_HOST: process.env.DOCKER_HOST, ORESI_API_KEY: KEY, ORESI_LISTEN: '127.0.0.1:0', ORESI_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 30_000);
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
      const m = /listening on (http:\/\/[^\s]+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({ child, base: m[1]!, stderr: () => err });
      }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${err}`)); });
  });
}

async function call(base: string, method: string, path: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${KEY}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary response JSON
  return { status: res.status, body: (await res.json()) as any };
}

/**
 * kill -9 in the middle of a step, then restart on the same data dir: the chain verifies, the
 * step that ran has its committed record, and the run shows `interrupted`.
 */
describeEngine('crash consistency of the server process', () => {
  const stack = uniqueProjectName('crash');
  let root = '';
  let config = '';
  const servers: ChildProcess[] = [];

  beforeAll(async () => {
    const build = await runCli(['npm', 'run', 'build'], { cwd: repo, timeoutMs: 120_000 });
    if (build.exitCode !== 0) throw new Error(`build failed: ${build.stderr}${build.stdout}`);
    root = await mkdtemp(join(tmpdir(), 'oresi-crash-'));
    await mkdir(join(root, 'stacks', stack), { recursive: true });
    await mkdir(join(root, 'intents'));
    // busybox sleep as PID 1 ignores SIGTERM, so a restart waits out the whole grace period:
    // a step that is reliably still running when the server is killed.
    await writeFile(join(root, 'stacks', stack, 'compose.yaml'),
      `services:\n  web:\n    image: ${TEST_IMAGE}\n    network_mode: none\n    command: ["sleep", "600"]\n    stop_grace_period: 20s\n`);
    const intent = (name: string, step: string) => `apiVersion: oresi.dev/v1\nkind: Intent\nname: ${name}\nstack: ${stack}\ntimeoutSeconds: 120\nsteps:\n  - action: ${step}\n`;
    await writeFile(join(root, 'intents', 'up.yaml'), intent('up', 'up'));
    await writeFile(join(root, 'intents', 'slow-restart.yaml'), intent('slow-restart', 'restart'));
    config = join(root, 'oresi.yaml');
    await writeFile(config, 'stacksRoot: ./stacks\nintentsDir: ./intents\ndataDir: ./data\n');
  }, 180_000);

  afterAll(async () => {
    for (const s of servers) if (s.exitCode === null) s.kill('SIGKILL');
    await removeProject(stack);
  });

  it('a run killed mid-step is interrupted after restart, and the chain verifies', async () => {
    const first = await startServer(config);
    servers.push(first.child);
    expect((await call(first.base, 'POST', '/v1/runs?wait=true', { intent: 'up' })).body.state).toBe('succeeded');
    const started = await call(first.base, 'POST', '/v1/runs', { intent: 'slow-restart' });
    expect(started.status).toBe(202);
    const runId: string = started.body.id;
    // Wait until the step is running (its record committed, the spawn under way).
    for (let i = 0; i < 100; i++) {
      const r = await call(first.base, 'GET', `/v1/runs/${runId}`);
      if (r.body.steps[0]?.outcome === 'running') break;
      await new Promise((res) => setTimeout(res, 100));
    }
    first.child.kill('SIGKILL');
    await new Promise((res) => first.child.once('exit', res));

    const second = await startServer(config);
    servers.push(second.child);
    const run = await call(second.base, 'GET', `/v1/runs/${runId}`);
    expect(run.body.state).toBe('interrupted');
    const audit = await call(second.base, 'GET', `/v1/audit?limit=500`);
    const types = (audit.body.events as Array<{ type: string; runId: string | null }>).filter((e) => e.runId === runId).map((e) => e.type);
    expect(types).toEqual(['run.requested', 'run.started', 'step.started', 'run.interrupted']);
    const verify = await call(second.base, 'GET', '/v1/audit/verify');
    expect(verify.body).toMatchObject({ ok: true });

    second.child.kill('SIGTERM');
    const code = await new Promise((res) => second.child.once('exit', res));
    expect(code).toBe(0);
    const offline = await cli(['--config', config, 'audit', 'verify']);
    expect(offline.code).toBe(0);
  }, 120_000);
});
