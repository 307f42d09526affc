import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildChildEnv } from '../exec/child-env.js';
import { createRealSys } from '../sys/real.js';
import type { Sys } from '../sys/sys.js';
import { syncStacksRepo } from './sync-repo.js';
import type { SpawnHooks } from './types.js';

const gitEnv = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' };
const env = { ...buildChildEnv(process.env, []), ...gitEnv };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();

async function commitFile(dir: string, file: string, text: string): Promise<string> {
  await writeFile(join(dir, file), text);
  git(dir, 'add', file);
  git(dir, 'commit', '-q', '-m', `change ${file}`);
  return git(dir, 'rev-parse', 'HEAD');
}

describe('syncStacksRepo (real git)', () => {
  let upstream: string;
  let clone: string;
  const spawned: string[][] = [];
  const realSys = createRealSys(process.env);
  const sys: Sys = {
    ...realSys,
    spawn: ((cmd: string, args: string[], o: object) => {
      spawned.push([cmd, ...args]);
      return realSys.spawn(cmd, args, o);
    }) as Sys['spawn'],
  };
  const described: string[] = [];
  const hooks: SpawnHooks = {
    beforeSpawn: async (_argv, description) => { described.push(description); },
    afterSpawn: async () => {},
  };

  let root = '';
  afterEach(() => rm(root, { recursive: true, force: true }));
  beforeEach(async () => {
    spawned.length = 0;
    described.length = 0;
    root = await mkdtemp(join(tmpdir(), 'oresi-sync-'));
    upstream = join(root, 'upstream');
    clone = join(root, 'clone');
    execFileSync('git', ['init', '-q', '-b', 'main', upstream], { env });
    await commitFile(upstream, 'compose.yaml', 'services: {}\n');
    execFileSync('git', ['clone', '-q', upstream, clone], { env });
  });

  it('fast-forwards to the upstream and reports both commits', async () => {
    const before = git(clone, 'rev-parse', 'HEAD');
    const head = await commitFile(upstream, 'compose.yaml', 'services: {a: {image: x}}\n');
    const r = await syncStacksRepo({ sys, env, hooks, dir: clone });
    expect(r).toMatchObject({ ok: true, before, after: head, changed: true });
    expect(git(clone, 'rev-parse', 'HEAD')).toBe(head);
    expect(spawned.every((argv) => argv[0] === 'git')).toBe(true);
    expect(described).toHaveLength(spawned.length);
  });

  it('reports no change when already up to date', async () => {
    const r = await syncStacksRepo({ sys, env, hooks, dir: clone });
    expect(r).toMatchObject({ ok: true, changed: false });
  });

  it('refuses a tree with local changes to tracked files, and pulls nothing', async () => {
    await commitFile(upstream, 'compose.yaml', 'services: {b: {image: y}}\n');
    const before = git(clone, 'rev-parse', 'HEAD');
    await writeFile(join(clone, 'compose.yaml'), 'services: {local: {image: z}}\n');
    await writeFile(join(clone, 'untracked.env'), 'A=1\n');
    const r = await syncStacksRepo({ sys, env, hooks, dir: clone });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/tracked file\(s\) changed locally.*compose\.yaml/);
    expect(git(clone, 'rev-parse', 'HEAD')).toBe(before);
    expect(spawned.some((argv) => argv.includes('pull'))).toBe(false);
  });

  it('refuses a branch that diverged from its upstream', async () => {
    await commitFile(upstream, 'a.txt', 'upstream\n');
    const local = await commitFile(clone, 'b.txt', 'local\n');
    const r = await syncStacksRepo({ sys, env, hooks, dir: clone });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/diverged.*1 local, 1 upstream/);
    expect(git(clone, 'rev-parse', 'HEAD')).toBe(local);
  });

  it('spawns nothing when beforeSpawn rejects', async () => {
    const refusing: SpawnHooks = { beforeSpawn: async () => { throw new Error('audit down'); }, afterSpawn: async () => {} };
    await expect(syncStacksRepo({ sys, env, hooks: refusing, dir: clone })).rejects.toThrow('audit down');
    expect(spawned).toEqual([]);
  });
});
