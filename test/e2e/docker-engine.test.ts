import * as fsp from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { discoverStacks } from '../../src/docker/discovery.js';
import { createEngineClient } from '../../src/docker/engine.js';
import type { ComposeContainer, EngineClient } from '../../src/docker/engine-types.js';
import { isAppError } from '../../src/errors.js';
import { composeCli, describeEngine, makeStack, makeStacksRoot, removeProject, TEST_IMAGE, uniqueProjectName } from './engine.js';

const host = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';

describeEngine('engine client on the real engine', () => {
  const name = uniqueProjectName('engine');
  let engine: EngineClient;
  let root: string;
  let dir: string;

  beforeAll(async () => {
    root = await makeStacksRoot();
    dir = await makeStack(root, name, `services:
  web:
    image: ${TEST_IMAGE}
    network_mode: none
    command: ["sleep", "600"]
    stop_grace_period: 1s
    healthcheck:
      test: ["CMD", "true"]
      interval: 1s
      retries: 1
  sick:
    image: ${TEST_IMAGE}
    network_mode: none
    command: ["sleep", "600"]
    stop_grace_period: 1s
    healthcheck:
      test: ["CMD", "false"]
      interval: 1s
      retries: 1
  once:
    image: ${TEST_IMAGE}
    network_mode: none
    command: ["true"]
`);
    await composeCli(['up', '-d'], { cwd: dir, project: name }, { check: true });
    engine = createEngineClient({ host });
  });
  afterAll(async () => {
    await removeProject(name);
    await engine?.close();
    if (root) await fsp.rm(root, { recursive: true, force: true });
  });

  /** Health changes on the engine's schedule: poll (bounded) until it settles. */
  async function settle(): Promise<ComposeContainer[]> {
    for (let i = 0; i < 120; i++) {
      const mine = (await engine.listComposeContainers()).filter((c) => c.project === name);
      const ready = mine.length === 3 && mine.every((c) => c.health !== 'starting' && c.state !== 'created')
        && mine.find((c) => c.service === 'web')?.health === 'healthy';
      if (ready) return mine;
      await new Promise((r) => setTimeout(r, 250));
    }
    return (await engine.listComposeContainers()).filter((c) => c.project === name);
  }

  it('answers ping and version', async () => {
    expect(await engine.ping()).toBe(true);
    const v = await engine.version();
    expect(v.version).not.toBe('');
    expect(v.apiVersion).toMatch(/^1\.\d+$/);
  });

  it('lists the project with compose labels, state and health from one call', async () => {
    const mine = await settle();
    const by = Object.fromEntries(mine.map((c) => [c.service, c]));
    expect(Object.keys(by).sort()).toEqual(['once', 'sick', 'web']);
    expect(by.web).toMatchObject({ state: 'running', health: 'healthy', number: 1, image: TEST_IMAGE, workingDir: dir });
    expect(by.sick).toMatchObject({ state: 'running', health: 'unhealthy' });
    expect(by.once).toMatchObject({ state: 'exited', health: null });
    expect(by.web?.configFiles.map((f) => f.split('/').pop())).toEqual(['compose.yaml']);
    expect(by.web?.configHash).toMatch(/^[0-9a-f]{64}$/);
    expect(by.web?.composeVersion).toMatch(/^\d+\.\d+/);
    expect(by.web?.imageId).toMatch(/^sha256:/);
    expect(by.web?.created).toBeGreaterThan(Date.UTC(2020, 0, 1));
  });

  it('discovers the stack with the services the engine runs', async () => {
    const found = await discoverStacks({ root, fs: fsp });
    expect(found.problems).toEqual([]);
    expect(found.stacks).toEqual([{
      name, dir: await fsp.realpath(dir), composeFile: join(await fsp.realpath(dir), 'compose.yaml'), envFiles: [], services: ['web', 'sick', 'once'],
      contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    }]);
  });

  it('inspects a present image and answers null for an absent one', async () => {
    const img = await engine.inspectImage(TEST_IMAGE);
    expect(img?.id).toMatch(/^sha256:/);
    expect(img?.repoTags).toContain(TEST_IMAGE);
    expect(await engine.inspectImage('127.0.0.1:5000/oresi/does-not-exist:0')).toBeNull();
  });

  it('a wrong socket is E_ENGINE_UNAVAILABLE naming it; ping says false', async () => {
    const bad = createEngineClient({ host: `unix://${join(root, 'no.sock')}` });
    try {
      expect(await bad.ping()).toBe(false);
      const err = await bad.listComposeContainers().catch((e: unknown) => e);
      expect(isAppError(err) && err.code).toBe('E_ENGINE_UNAVAILABLE');
      expect((err as Error).message).toContain(join(root, 'no.sock'));
    } finally {
      await bad.close();
    }
  });
});
