import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRealSys } from '../sys/real.js';
import type { Sys } from '../sys/sys.js';
import { detectComposeDialect } from './dialect.js';

// Real processes: fake `docker` / `docker-compose` scripts on a PATH we control.
let base: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'oresi-dialect-'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

async function binDir(name: string, programs: Record<string, number>): Promise<string> {
  const dir = join(base, name);
  await mkdir(dir);
  for (const [program, exit] of Object.entries(programs)) {
    const file = join(dir, program);
    await writeFile(file, `#!/bin/sh\necho "$0 $*"\nexit ${exit}\n`);
    await chmod(file, 0o755);
  }
  return dir;
}

function countingSys(): Sys & { spawned: string[] } {
  const real = createRealSys(process.env);
  const spawned: string[] = [];
  const spawn = ((cmd: string, args: string[], o: object) => {
    spawned.push([cmd, ...args].join(' '));
    return real.spawn(cmd, args, o);
  }) as Sys['spawn'];
  return { ...real, spawn, spawned };
}

describe('detectComposeDialect', () => {
  it('prefers v2 when `docker compose version` works', async () => {
    const path = await binDir('both', { docker: 0, 'docker-compose': 0 });
    const sys = countingSys();
    expect(await detectComposeDialect(sys, { PATH: path }, 'auto')).toBe('v2');
    expect(sys.spawned).toEqual(['docker compose version']);
  });

  it('falls back to v1 when the compose plugin is missing', async () => {
    const path = await binDir('v1only', { docker: 1, 'docker-compose': 0 });
    const sys = countingSys();
    expect(await detectComposeDialect(sys, { PATH: path }, 'auto')).toBe('v1');
    expect(sys.spawned).toEqual(['docker compose version', 'docker-compose version']);
  });

  it('answers null when neither exists', async () => {
    const path = await binDir('none', {});
    expect(await detectComposeDialect(countingSys(), { PATH: path }, 'auto')).toBeNull();
  });

  it('lets an override win without probing', async () => {
    const sys = countingSys();
    expect(await detectComposeDialect(sys, { PATH: '/nonexistent' }, 'v1')).toBe('v1');
    expect(await detectComposeDialect(sys, { PATH: '/nonexistent' }, 'v2')).toBe('v2');
    expect(sys.spawned).toEqual([]);
  });
});
