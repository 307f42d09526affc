import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, closeApp } from '../../src/app.js';
import type { AppContext } from '../../src/commands/types.js';
import type { Caller, Logger } from '../../src/model.js';
import { Config } from '../../src/config/schema.js';
import { createRealSys } from '../../src/sys/real.js';
import type { Sys } from '../../src/sys/sys.js';

export interface TestAppSpec {
  /** stack name → compose file text (written as compose.yaml) */
  stacks: Record<string, string>;
  /** file name → intent YAML */
  intents: Record<string, string>;
  config?: Record<string, unknown>;
  env?: Record<string, string | undefined>;
  /** Runs after the stacks and intents are written and before the app is created. */
  prepare?: (paths: { root: string; stacksRoot: string; intentsDir: string }) => Promise<void>;
  /** Wraps the real Sys (e.g. to count spawns). */
  sys?: (real: Sys) => Sys;
}

export interface TestApp {
  ctx: AppContext;
  root: string;
  stacksRoot: string;
  close(): Promise<void>;
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

export const adminCaller: Caller = {
  principal: { name: 'tester', roleNames: [], roles: [], via: 'cli', admin: true },
  source: 'cli',
};

/** A real app (real SQLite, real files) over temp stacks and intents. */
export async function makeTestApp(spec: TestAppSpec): Promise<TestApp> {
  const root = await mkdtemp(join(tmpdir(), 'oresi-test-'));
  const stacksRoot = join(root, 'stacks');
  const intentsDir = join(root, 'intents');
  await mkdir(stacksRoot, { recursive: true });
  await mkdir(intentsDir, { recursive: true });
  for (const [name, compose] of Object.entries(spec.stacks)) {
    await mkdir(join(stacksRoot, name));
    await writeFile(join(stacksRoot, name, 'compose.yaml'), compose);
  }
  for (const [file, text] of Object.entries(spec.intents)) await writeFile(join(intentsDir, file), text);
  await spec.prepare?.({ root, stacksRoot, intentsDir });
  const config = Config.parse({ stacksRoot, intentsDir, dataDir: join(root, 'data'), ...spec.config });
  const real = createRealSys({ PATH: process.env.PATH, HOME: process.env.HOME, DOCKER_HOST: process.env.DOCKER_HOST, ORESI_EXAMPLE_IMAGE: process.env.ORESI_EXAMPLE_IMAGE, ...spec.env });
  const sys = spec.sys ? spec.sys(real) : real;
  const ctx = await createApp({ config, sys, logger: silentLogger, mode: 'full' });
  return {
    ctx,
    root,
    stacksRoot,
    async close() {
      await closeApp(ctx);
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** A Sys whose spawn counts calls (and still spawns for real). */
export function countingSys(real: Sys): Sys & { spawns: string[][] } {
  const spawns: string[][] = [];
  const spawn = ((cmd: string, args: readonly string[], opts: object) => {
    spawns.push([cmd, ...args]);
    return real.spawn(cmd, args, opts);
  }) as Sys['spawn'];
  return { ...real, spawn, spawns };
}
