import * as fsp from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findStack } from '../../src/docker/discovery.js';
import { createEngineClient } from '../../src/docker/engine.js';
import type { EngineClient } from '../../src/docker/engine-types.js';
import { buildChildEnv } from '../../src/exec/child-env.js';
import type { StackFacts } from '../../src/plan/types.js';
import { createFileRollbackStore } from '../../src/rollout/file-store.js';
import { performRollback } from '../../src/rollout/rollback.js';
import { performRollout } from '../../src/rollout/rollout.js';
import type { DryRunResult, RollbackStore, RolloutResult, SpawnHooks } from '../../src/rollout/types.js';
import { createRealSys } from '../../src/sys/real.js';
import type { Sys } from '../../src/sys/sys.js';
import {
  composeBinary, composeCli, describeEngine, dockerCli, makeStack, makeStacksRoot, TEST_IMAGE,
  TEST_REGISTRY, uniqueProjectName, pushImageVariant, removeRolloutLeftovers } from './engine.js';

const host = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
const realSys = createRealSys(process.env);
const env = buildChildEnv(process.env, []);
const HEALTH = { healthTimeoutMs: 60_000, pollMs: 200 };

describeEngine('health-checked rollout on the real engine', () => {
  const name = uniqueProjectName('rollout');
  const repo = `${TEST_REGISTRY}/oresi-test-${randomBytes(4).toString('hex')}/app`;
  const tag = `${repo}:1.0`;
  const images: Record<'a' | 'b' | 'bad', string> = { a: '', b: '', bad: '' };
  let builder = '';
  let root = '';
  let dataDir = '';
  let facts: StackFacts;
  let engine: EngineClient;
  let store: RollbackStore;
  let dialect: 'v1' | 'v2';
  // Every spawn and every hook call, in order, to show the hook always comes first.
  const events: string[] = [];
  const sys: Sys = {
    ...realSys,
    spawn: ((cmd: string, args: string[], o: object) => {
      events.push(`spawn ${[cmd, ...args].join(' ')}`);
      return realSys.spawn(cmd, args, o);
    }) as Sys['spawn'],
  };
  const hooks: SpawnHooks = {
    beforeSpawn: async (argv) => { events.push(`before ${argv.join(' ')}`); },
    afterSpawn: async (argv, r) => { events.push(`after ${argv.join(' ')} exit=${r.exitCode}`); },
  };
  const spawns = () => events.filter((e) => e.startsWith('spawn '));
  const ctx = () => ({ sys, engine, facts, dialect, env, store, hooks });

  /** A new image FROM the test image with its own config, pushed under the one shared tag. */
  const buildAndPush = (cmd: string[], label: string) => pushImageVariant(builder, tag, cmd, label);
  async function running(service: string): Promise<string[]> {
    return (await engine.listComposeContainers())
      .filter((c) => c.project === name && c.service === service && c.state === 'running')
      .map((c) => c.imageId);
  }

  beforeAll(async () => {
    dialect = await composeBinary();
    builder = (await dockerCli(['create', TEST_IMAGE], { check: true })).stdout.trim();
    images.a = await buildAndPush(['sleep', '600'], 'a');
    root = await makeStacksRoot();
    dataDir = await fsp.mkdtemp(join(tmpdir(), 'oresi-rollout-data-'));
    // version: compose v1 merges the rollback override only when both files state the same one.
    const dir = await makeStack(root, name, `version: "3.8"
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
  side:
    image: ${TEST_IMAGE}
    network_mode: none
    command: ["sleep", "600"]
    stop_grace_period: 1s
`);
    await composeCli(['up', '-d'], { cwd: dir, project: name }, { check: true });
    facts = await findStack({ root, name, fs: fsp });
    engine = createEngineClient({ host });
    store = createFileRollbackStore(dataDir, fsp);
  }, 180_000);

  afterAll(async () => {
    await removeRolloutLeftovers(name, builder, Object.values(images));
    await engine?.close();
    if (root) await fsp.rm(root, { recursive: true, force: true });
    if (dataDir) await fsp.rm(dataDir, { recursive: true, force: true });
  }, 120_000);

  let firstId = '';

  it('rolls out a good image, records the rollback point and protects the old image', async () => {
    images.b = await buildAndPush(['sleep', '601'], 'b');
    const sideImage = (await running('side'))[0];
    events.length = 0;
    const r = (await performRollout({ ...ctx(), options: { pull: true, ...HEALTH } })) as RolloutResult;
    expect(r.outcome, r.reason).toBe('succeeded');
    expect(await running('app')).toEqual([images.b]);

    firstId = r.rolloutId;
    const saved = await store.load(name, r.rolloutId);
    expect(saved).toEqual(r.point);
    const app = saved?.services.find((s) => s.service === 'app');
    expect(app).toMatchObject({ imageRef: tag, imageId: images.a });
    expect(app?.repoDigests.some((d) => d.startsWith(`${repo}@sha256:`))).toBe(true);
    expect(saved?.services.find((s) => s.service === 'side')?.imageId).toBe(sideImage);
    expect((await engine.inspectImage(app?.rollbackTag ?? 'missing'))?.id).toBe(images.a);

    expect(r.steps.map((s) => s.phase)).toEqual(['protect', 'protect', 'pull', 'up']);
    // Fail closed: each spawn is preceded by its own beforeSpawn.
    events.forEach((e, i) => {
      if (e.startsWith('spawn ')) expect(events[i - 1]).toBe(`before ${e.slice('spawn '.length)}`);
    });
    expect(spawns()).toHaveLength(4);
  }, 180_000);

  it('rolls back automatically when the new image under the same tag is broken', async () => {
    images.bad = await buildAndPush(['false'], 'bad');
    const r = (await performRollout({ ...ctx(), options: { pull: true, ...HEALTH } })) as RolloutResult;
    expect(r.outcome, r.reason).toBe('rolled_back');
    expect(r.health?.healthy).toBe(false);
    expect(r.health?.services.find((s) => s.service === 'app')?.status).toBe('failed');
    expect(r.rollback).toMatchObject({ verified: true, mismatches: [] });
    expect(r.rollback?.pins.app).toMatch(new RegExp(`^${repo.replace(/[.]/g, '\\.')}@sha256:[0-9a-f]{64}$`));
    expect(r.steps.map((s) => s.phase)).toEqual(['protect', 'protect', 'pull', 'up', 'rollback-up']);

    expect(await running('app')).toEqual([images.b]);
    expect(r.point?.services.find((s) => s.service === 'app')?.imageId).toBe(images.b);
    // The override lives in the data dir; the stack folder is untouched.
    expect(r.rollback?.overrideFile.startsWith(join(dataDir, 'rollouts', name))).toBe(true);
    expect(await fsp.readdir(facts.dir)).toEqual(['compose.yaml']);
    // The tag still names the broken image: the rollback pinned, it did not retag.
    expect((await engine.inspectImage(tag))?.id).toBe(images.bad);
  }, 180_000);

  it('rolls back on request to an earlier rollout and verifies the image ids', async () => {
    await expect(performRollback({ ...ctx(), options: HEALTH, to: 'no-such-rollout' })).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    const r = await performRollback({ ...ctx(), options: HEALTH, to: firstId });
    expect(r.outcome, r.reason).toBe('rolled_back');
    expect(r.point?.id).toBe(firstId);
    expect(r.restore).toMatchObject({ verified: true, mismatches: [] });
    expect(await running('app')).toEqual([images.a]);
  }, 180_000);

  it('spawns nothing and changes nothing when beforeSpawn rejects', async () => {
    const before = (await engine.listComposeContainers()).filter((c) => c.project === name).map((c) => c.id).sort();
    events.length = 0;
    const refusing: SpawnHooks = { beforeSpawn: async () => { throw new Error('audit store unavailable'); }, afterSpawn: hooks.afterSpawn };
    await expect(performRollout({ ...ctx(), hooks: refusing, options: { pull: true, ...HEALTH } })).rejects.toThrow('audit store unavailable');
    expect(spawns()).toEqual([]);
    const after = (await engine.listComposeContainers()).filter((c) => c.project === name).map((c) => c.id).sort();
    expect(after).toEqual(before);
  }, 60_000);

  it('dry run spawns and writes nothing and lists the images that would move', async () => {
    const pointsBefore = (await store.list(name)).points.length;
    events.length = 0;
    const r = (await performRollout({ ...ctx(), options: { pull: false, dryRun: true, ...HEALTH } })) as DryRunResult;
    expect(r.dryRun).toBe(true);
    expect(spawns()).toEqual([]);
    expect((await store.list(name)).points).toHaveLength(pointsBefore);
    const app = r.changes.find((c) => c.service === 'app');
    expect(app).toMatchObject({ imageRef: tag, currentImageId: images.a, localImageId: images.bad, wouldChange: true, wouldPull: false });
    expect(r.changes.find((c) => c.service === 'side')?.wouldChange).toBe(false);
    expect(r.steps.map((s) => s.phase)).toEqual(['protect', 'protect', 'up']);
    expect(r.steps.at(-1)?.argv).toContain('up');
  }, 60_000);
});
