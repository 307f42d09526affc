import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { git, makeGitBed, pushChange, type GitBed } from '../../test/e2e/webhook-fixture.js';
import { createRealSys } from '../sys/real.js';
import { pullFastForward } from './git-pull.js';

describe('pullFastForward on real git', () => {
  let root: string;
  let stacks: string;
  let bed: GitBed;
  const sys = createRealSys({ PATH: process.env.PATH, HOME: process.env.HOME });
  const pull = (expectCommit?: string) => pullFastForward({ sys, dir: stacks, branch: 'main', timeoutMs: 30_000, ...(expectCommit ? { expectCommit } : {}) });

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'oresi-gitsync-'));
    stacks = join(root, 'stacks');
    await mkdir(join(stacks, 'web'), { recursive: true });
    await writeFile(join(stacks, 'web', 'compose.yaml'), 'services: {}\n');
    bed = makeGitBed(root, stacks);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('fast-forwards to the pushed commit', async () => {
    const before = git(stacks, 'rev-parse', 'HEAD');
    const pushed = await pushChange(bed.dev, 'web/compose.yaml', 'services: { a: { image: x } }\n');
    expect(await pull(pushed)).toEqual({ ok: true, before, after: pushed, changed: true });
    expect(git(stacks, 'rev-parse', 'HEAD')).toBe(pushed);
  });

  it('nothing new is a success without change', async () => {
    const head = git(stacks, 'rev-parse', 'HEAD');
    expect(await pull(head)).toEqual({ ok: true, before: head, after: head, changed: false });
  });

  it('refuses a dirty tree and leaves it alone; untracked files do not count', async () => {
    await pushChange(bed.dev, 'web/compose.yaml', 'services: { b: { image: x } }\n');
    await writeFile(join(stacks, 'web', '.env'), 'SECRET=1\n'); // untracked: fine
    await writeFile(join(stacks, 'web', 'compose.yaml'), 'edited on the server\n');
    const head = git(stacks, 'rev-parse', 'HEAD');
    const r = await pull();
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/uncommitted changes \(web\/compose\.yaml\)/) });
    expect(git(stacks, 'rev-parse', 'HEAD')).toBe(head);
  });

  it('refuses diverged histories', async () => {
    await pushChange(bed.dev, 'web/compose.yaml', 'services: { c: { image: x } }\n');
    await writeFile(join(stacks, 'local.txt'), 'local commit\n');
    git(stacks, 'add', '-A');
    git(stacks, 'commit', '--quiet', '-m', 'local only');
    const head = git(stacks, 'rev-parse', 'HEAD');
    expect(await pull()).toMatchObject({ ok: false, reason: expect.stringMatching(/--ff-only origin main refused/) });
    expect(git(stacks, 'rev-parse', 'HEAD')).toBe(head);
  });

  it('refuses when another branch is checked out', async () => {
    git(stacks, 'checkout', '--quiet', '-b', 'experiment');
    expect(await pull()).toMatchObject({ ok: false, reason: expect.stringMatching(/branch experiment checked out, not main/) });
  });

  it('refuses when the pushed commit is not what origin gave us', async () => {
    const stranger = 'b'.repeat(40);
    expect(await pull(stranger)).toMatchObject({ ok: false, reason: expect.stringMatching(/does not contain the pushed commit bbbbbbbbbbbb/) });
  });

  it('refuses option-shaped branch names and commits before running git', async () => {
    expect(await pullFastForward({ sys, dir: stacks, branch: '--upload-pack=x', timeoutMs: 1000 })).toMatchObject({ ok: false, reason: expect.stringMatching(/not an acceptable branch/) });
    expect(await pull('--output=/tmp/x')).toMatchObject({ ok: false, reason: expect.stringMatching(/not a hex object id/) });
  });

  it('without a branch it pulls whatever is checked out', async () => {
    const pushed = await pushChange(bed.dev, 'web/compose.yaml', 'services: { c: { image: x } }\n');
    expect(await pullFastForward({ sys, dir: stacks, timeoutMs: 30_000 })).toMatchObject({ ok: true, after: pushed, changed: true });
  });

  it('calls the hooks around every git process, and a rejecting beforeSpawn starts none', async () => {
    const seen: string[] = [];
    const hooks = { beforeSpawn: async (argv: string[]) => { seen.push(argv.join(' ')); }, afterSpawn: async () => {} };
    expect((await pullFastForward({ sys, dir: stacks, branch: 'main', timeoutMs: 30_000, hooks })).ok).toBe(true);
    expect(seen).toContain('git pull --ff-only --no-rebase --quiet origin main');
    let spawned = 0;
    const counting = { ...sys, spawn: ((...args: Parameters<typeof sys.spawn>) => { spawned += 1; return sys.spawn(...args); }) as typeof sys.spawn };
    const refusing = { beforeSpawn: async () => { throw new Error('audit down'); }, afterSpawn: async () => {} };
    await expect(pullFastForward({ sys: counting, dir: stacks, branch: 'main', timeoutMs: 30_000, hooks: refusing })).rejects.toThrow('audit down');
    expect(spawned).toBe(0);
  });
});
