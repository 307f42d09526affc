import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRealSys } from '../sys/real.js';
import { groupByStack, parsePorcelainZ, readGitChanges } from './drift-git.js';
import { parseHashLines } from './drift-hash.js';

const sys = createRealSys(process.env);
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/tmp', LANG: 'C.UTF-8' };

describe('porcelain parsing', () => {
  it('keeps the new path of a rename and skips its source', () => {
    expect(parsePorcelainZ('RM a/g\0a/f\0?? b/new\0 M c d/x\0')).toEqual(['a/g', 'b/new', 'c d/x']);
  });

  it('groups by the first folder under the stacks root and ignores root-level files', () => {
    expect(groupByStack(['stacks/a/compose.yaml', 'stacks/a/.env', 'stacks/global.env', 'other/x/y'], 'stacks'))
      .toEqual({ a: ['a/compose.yaml', 'a/.env'] });
    expect(groupByStack(['b/x'], '')).toEqual({ b: ['b/x'] });
  });
});

describe('readGitChanges on a real repository', () => {
  let base: string;
  beforeEach(async () => {
    base = await realpath(await mkdtemp(join(tmpdir(), 'oresi-drift-git-')));
  });
  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: base });

  it('says when the stacks root is not a repository', async () => {
    expect(await readGitChanges(sys, base, env)).toEqual({ repo: false });
  });

  it('lists changed, new and deleted files per stack, for a root inside a bigger repo', async () => {
    const root = join(base, 'stacks');
    for (const s of ['a', 'b', 'c']) {
      await mkdir(join(root, s), { recursive: true });
      await writeFile(join(root, s, 'compose.yaml'), 'services: {}\n');
    }
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'init');
    await writeFile(join(root, 'a', 'compose.yaml'), 'services: {x: {}}\n');
    await writeFile(join(root, 'b', '.env'), 'A=1\n');
    await rm(join(root, 'c', 'compose.yaml'));
    await writeFile(join(root, 'global.env'), 'G=1\n');
    await writeFile(join(base, 'README'), 'outside the root\n');
    expect(await readGitChanges(sys, root, env)).toEqual({
      repo: true,
      byStack: { a: ['a/compose.yaml'], b: ['b/.env'], c: ['c/compose.yaml'] },
    });
  });
});

describe('parseHashLines', () => {
  it('reads `service hash` lines and ignores anything else', () => {
    const h = 'a'.repeat(64);
    expect(parseHashLines(`web ${h}\nWARNING: something\ndb ${'b'.repeat(64)}\n`)).toEqual({ web: h, db: 'b'.repeat(64) });
  });
});
