/**
 * Shared helper for tests that need the real Docker engine (test/e2e/*.test.ts).
 *
 * The bed (engine, registry on 127.0.0.1:5000, base image) comes from `scripts/testbed.sh`;
 * `.ci/run` runs it and exports ORESI_EXAMPLE_IMAGE. Usage:
 *
 *   import { describeEngine, TEST_IMAGE, makeStack, composeCli, removeProject, uniqueProjectName, makeStacksRoot }
 *     from './engine.js';
 *
 *   describeEngine('restart on a real stack', () => {
 *     const name = uniqueProjectName('restart');            // doubles as the compose project name
 *     let root: string;
 *     beforeAll(async () => {
 *       root = await makeStacksRoot();
 *       const dir = await makeStack(root, name,
 *         `services:\n  web:\n    image: ${TEST_IMAGE}\n    network_mode: none\n    command: ["sleep", "600"]\n`);
 *       await composeCli(['up', '-d'], { cwd: dir, project: name }, { check: true });
 *     });
 *     afterAll(() => removeProject(name));
 *     it('…', async () => { … });
 *   });
 *
 * describeEngine runs the suite when the whole bed is there (engine, compose CLI, TEST_IMAGE in
 * the registry). When it is not, the suite is skipped, unless ORESI_REQUIRE_ENGINE is set (CI
 * sets it): then it fails with what is missing, so a broken bed can never turn into a green run
 * that tested nothing.
 *
 * Containers here have no network (dockerd runs with --bridge=none): use `network_mode: none`
 * (or `host`). Images: use TEST_IMAGE; to get "a newer image under the same tag", build one
 * FROM it under your own repository name in the same registry (never overwrite TEST_IMAGE).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, inject, it } from 'vitest';
import { describeBed, probeBed, type BedStatus } from './bed-probe.js';

export const TEST_IMAGE: string =
  process.env.ORESI_EXAMPLE_IMAGE ?? '127.0.0.1:5000/oresi/busybox:1.36.1';
/** host:port of the bed's registry, taken from TEST_IMAGE. */
export const TEST_REGISTRY: string = TEST_IMAGE.split('/')[0] ?? '127.0.0.1:5000';

export { resolveEngineAddress } from './bed-probe.js';

/**
 * The bed as probed once for the whole run by test/e2e/bed-setup.ts (vitest globalSetup, which
 * also prints the one line saying why engine tests skip); probed here when run without it.
 */
export const BED: BedStatus = inject('oresiBed') ?? await probeBed({
  image: TEST_IMAGE, dockerHost: process.env.DOCKER_HOST, composeForced: process.env.ORESI_TEST_COMPOSE,
});
/** The engine answers (teardown that only needs the engine may run even when the bed is incomplete). */
export const ENGINE_UP: boolean = BED.engine;

/**
 * `describe` when the whole bed is there; skip when it is not; fail, saying what is missing,
 * when ORESI_REQUIRE_ENGINE is set.
 */
export function describeEngine(name: string, fn: () => void): void {
  if (BED.missing.length === 0) {
    describe(name, fn);
  } else if (process.env.ORESI_REQUIRE_ENGINE) {
    describe(name, () => {
      it('needs the engine test bed (ORESI_REQUIRE_ENGINE is set)', () => {
        throw new Error(describeBed(BED));
      });
    });
  } else {
    describe.skip(`${name} (engine test bed incomplete)`, fn);
  }
}

export interface CliResult {
  argv: string[];
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  /** Added to the inherited environment. */
  env?: Record<string, string>;
  /** Throw when the exit code is not 0 (for setup/teardown that must work). */
  check?: boolean;
  timeoutMs?: number;
}

/** Spawn an argv (never a shell) and collect its output. */
export function runCli(argv: string[], opts: CliOptions = {}): Promise<CliResult> {
  const [file, ...args] = argv;
  if (!file) return Promise.reject(new Error('runCli: empty argv'));
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: opts.timeoutMs ?? 120_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => { stdout += c; });
    child.stderr.setEncoding('utf8').on('data', (c: string) => { stderr += c; });
    child.on('error', reject);
    child.on('close', (exitCode) => {
      const result = { argv, exitCode, stdout, stderr };
      if (opts.check && exitCode !== 0) {
        reject(new Error(`${argv.join(' ')} exited ${exitCode}: ${stderr.trim() || stdout.trim()}`));
      } else {
        resolve(result);
      }
    });
  });
}

/** `docker <args>` for test setup and teardown. */
export function dockerCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return runCli(['docker', ...args], opts);
}

let composeDetected: Promise<'v2' | 'v1'> | undefined;

/**
 * Which compose CLI this machine has: 'v2' (`docker compose`) preferred, else 'v1'
 * (`docker-compose`). ORESI_TEST_COMPOSE=v1|v2 forces one, to test a dialect where both exist.
 */
export function composeBinary(): Promise<'v2' | 'v1'> {
  composeDetected ??= (async () => {
    const forced = process.env.ORESI_TEST_COMPOSE;
    if (forced === 'v1' || forced === 'v2') return forced;
    if ((await runCli(['docker', 'compose', 'version']).catch(() => undefined))?.exitCode === 0) return 'v2';
    if ((await runCli(['docker-compose', 'version']).catch(() => undefined))?.exitCode === 0) return 'v1';
    throw new Error('neither `docker compose` nor `docker-compose` works; run scripts/testbed.sh');
  })();
  return composeDetected;
}

/** `docker compose <args>` or `docker-compose <args>`, with `-p project` when given. */
export async function composeCli(
  args: string[],
  where: { cwd: string; project?: string },
  opts: Omit<CliOptions, 'cwd'> = {},
): Promise<CliResult> {
  const base = (await composeBinary()) === 'v2' ? ['docker', 'compose'] : ['docker-compose'];
  const project = where.project ? ['-p', where.project] : [];
  return runCli([...base, ...project, ...args], { ...opts, cwd: where.cwd });
}

/**
 * A stack name unique to this test run, valid as an oresi name and a compose project name
 * (compose v1 would silently rewrite names with other characters).
 */
export function uniqueProjectName(prefix: string): string {
  const clean = prefix.toLowerCase().replace(/[^a-z0-9]+/g, '').slice(0, 30) || 'stack';
  return `t${clean}${randomBytes(4).toString('hex')}`;
}

/** A fresh, empty stacks root (like /opt/stacks) in the system temp dir. */
export function makeStacksRoot(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'oresi-stacks-'));
}

/**
 * Write `<root>/<name>/compose.yaml` (Dockge layout) and, if given, `.env`; returns the folder.
 * Creates root when it does not exist.
 */
export async function makeStack(
  root: string,
  name: string,
  composeYaml: string,
  extra: { env?: string; fileName?: string } = {},
): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, extra.fileName ?? 'compose.yaml'), composeYaml);
  if (extra.env !== undefined) await writeFile(join(dir, '.env'), extra.env);
  return dir;
}

/**
 * Remove every container and network of a compose project by its labels, so teardown works even
 * when the stack folder is gone or the compose file is broken. Safe to call twice.
 */
export async function removeProject(project: string): Promise<void> {
  const filter = `label=com.docker.compose.project=${project}`;
  const containers = await dockerCli(['ps', '-aq', '--filter', filter], { check: true });
  const ids = containers.stdout.split('\n').filter(Boolean);
  if (ids.length > 0) await dockerCli(['rm', '-f', '-v', ...ids], { check: true });
  const networks = await dockerCli(['network', 'ls', '-q', '--filter', filter], { check: true });
  const netIds = networks.stdout.split('\n').filter(Boolean);
  if (netIds.length > 0) await dockerCli(['network', 'rm', ...netIds]);
}

/**
 * A variant of TEST_IMAGE with another command, committed from `builder` (a container created
 * from TEST_IMAGE) under `tag` and pushed to the bed's registry; returns the new image id. Tests
 * use it for "a newer image under the same tag".
 */
export async function pushImageVariant(builder: string, tag: string, cmd: string[], label: string): Promise<string> {
  const changes = ['--change', `CMD ${JSON.stringify(cmd)}`, '--change', `LABEL org.oresi.test-variant=${label}`];
  const id = (await dockerCli(['commit', ...changes, builder, tag], { check: true })).stdout.trim();
  await dockerCli(['push', tag], { check: true });
  return id;
}

/**
 * Teardown for rollout tests: the project's containers, the builder container, the protective
 * `oresi-rollback/<stack>-…` tags (untagged, never deleted: one may name the shared test image)
 * and the variant images the test pushed.
 */
export async function removeRolloutLeftovers(stack: string, builder: string | undefined, imageIds: readonly string[]): Promise<void> {
  await removeProject(stack);
  if (builder) await dockerCli(['rm', '-f', builder]);
  const tags = await dockerCli(['images', '--format', '{{.Repository}}:{{.Tag}}', 'oresi-rollback/*']);
  const ours = tags.stdout.split('\n').filter((t) => t.startsWith(`oresi-rollback/${stack}-`));
  if (ours.length > 0) await dockerCli(['rmi', ...ours]);
  const ids = imageIds.filter((id) => id !== '');
  if (ids.length > 0) await dockerCli(['rmi', '-f', ...ids]);
}
