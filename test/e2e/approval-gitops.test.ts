import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, realpath, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkIntentOnBranch, hashBlob } from '../../src/approval/gitops.js';
import { parseYamlDocuments } from '../../src/intent/yaml-source.js';
import { createRealSys } from '../../src/sys/real.js';

const sys = createRealSys({ PATH: process.env.PATH, HOME: process.env.HOME });
const SCALE_V1 = 'apiVersion: oresi.dev/v1\nkind: Intent\nname: scale\nstack: media\nsteps:\n  - action: status\n';
const SCALE_V2 = SCALE_V1.replace('status', 'pull');

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME, GIT_CONFIG_NOSYSTEM: '1' },
  }).trim();
}

let root: string;
let author: string; // where changes are made and pushed (stands for the merged PR)
let server: string; // the clone oresi reads intents from
let intentFile: string;

async function commitAndPush(dir: string, file: string, text: string, message: string): Promise<string> {
  await mkdir(join(dir, 'intents'), { recursive: true });
  await writeFile(join(dir, file), text);
  git(dir, 'add', file);
  git(dir, 'commit', '-q', '-m', message);
  git(dir, 'push', '-q', 'origin', 'main');
  return git(dir, 'rev-parse', 'HEAD');
}

beforeEach(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), 'oresi-gitops-')));
  git(root, 'init', '-q', '--bare', '--initial-branch=main', 'origin.git');
  author = join(root, 'author');
  git(root, 'clone', '-q', join(root, 'origin.git'), 'author');
  git(author, 'checkout', '-q', '-b', 'main');
  await commitAndPush(author, 'intents/scale.yaml', SCALE_V1, 'add scale');
  git(root, 'clone', '-q', '--branch', 'main', join(root, 'origin.git'), 'server');
  server = join(root, 'server');
  intentFile = join(server, 'intents', 'scale.yaml');
});
afterEach(async () => { await rm(root, { recursive: true, force: true }); });

const check = (source: string, over: Partial<Parameters<typeof checkIntentOnBranch>[0]> = {}) =>
  checkIntentOnBranch({ sys, repoDir: server, branch: 'main', fetchFirst: false, intentFile, intentSource: source, ...over });

describe('checkIntentOnBranch with real git', () => {
  it('accepts an intent identical to the branch tip and names the commit', async () => {
    const source = await readFile(intentFile, 'utf8');
    expect(await check(source)).toEqual({ ok: true, commit: git(server, 'rev-parse', 'origin/main') });
  });

  it('refuses an intent edited locally but not on the branch', async () => {
    await writeFile(intentFile, SCALE_V2);
    const short = git(server, 'rev-parse', 'origin/main').slice(0, 12);
    expect(await check(SCALE_V2)).toEqual({ ok: false, reason: `intents/scale.yaml differs from origin/main at ${short}; commit and merge it first` });
  });

  it('refuses an intent committed locally but not pushed', async () => {
    await writeFile(intentFile, SCALE_V2);
    git(server, 'commit', '-q', '-am', 'local only');
    expect(await check(SCALE_V2)).toMatchObject({ ok: false, reason: expect.stringMatching(/differs from origin\/main/) });
  });

  it('refuses when the branch moved ahead with a different intent', async () => {
    const pushed = await commitAndPush(author, 'intents/scale.yaml', SCALE_V2, 'change scale');
    // The server still runs the old text it loaded; the branch now says something else.
    expect(await check(SCALE_V1, { fetchFirst: true })).toEqual({
      ok: false, reason: `intents/scale.yaml differs from origin/main at ${pushed.slice(0, 12)}; commit and merge it first`,
    });
  });

  it('fetchFirst picks up a pushed change that a stale remote-tracking branch would refuse', async () => {
    const pushed = await commitAndPush(author, 'intents/scale.yaml', SCALE_V2, 'change scale');
    expect((await check(SCALE_V2)).ok).toBe(false);
    expect(await check(SCALE_V2, { fetchFirst: true })).toEqual({ ok: true, commit: pushed });
  });

  it('refuses an intent file that is not on the branch at all', async () => {
    const extra = join(server, 'intents', 'new.yaml');
    await writeFile(extra, SCALE_V1);
    expect(await check(SCALE_V1, { intentFile: extra })).toMatchObject({ ok: false, reason: expect.stringMatching(/^intents\/new.yaml is not on origin\/main at [0-9a-f]{12}; commit and merge it first$/) });
  });

  it('matches one document of a multi-document file', async () => {
    const docA = SCALE_V1;
    const docB = SCALE_V1.replace('name: scale', 'name: other');
    const text = `${docA}---\n${docB}`;
    const pushed = await commitAndPush(author, 'intents/many.yaml', text, 'two intents');
    const file = join(server, 'intents', 'many.yaml');
    git(server, 'pull', '-q', 'origin', 'main');
    // LoadedIntent.source for the second intent, sliced exactly as the intent loader does.
    const docs = parseYamlDocuments(text, file);
    const second = docs.ok ? docs.value[1]?.source ?? '' : '';
    expect(second).toContain('name: other');
    expect(await check(second, { intentFile: file })).toEqual({ ok: true, commit: pushed });
    expect((await check(second.replace('status', 'down'), { intentFile: file })).ok).toBe(false);
  });

  it('uses the local branch when there is no origin', async () => {
    const lone = join(root, 'lone');
    git(root, 'init', '-q', '--initial-branch=main', 'lone');
    await mkdir(join(lone, 'intents'));
    await writeFile(join(lone, 'intents', 'scale.yaml'), SCALE_V1);
    git(lone, 'add', '.');
    git(lone, 'commit', '-q', '-m', 'x');
    const r = await check(SCALE_V1, { repoDir: lone, intentFile: join(lone, 'intents', 'scale.yaml') });
    expect(r).toEqual({ ok: true, commit: git(lone, 'rev-parse', 'HEAD') });
    expect(await check(SCALE_V1, { repoDir: lone, intentFile: join(lone, 'intents', 'scale.yaml'), fetchFirst: true }))
      .toMatchObject({ ok: false, reason: expect.stringMatching(/has no remote "origin"/) });
  });

  it.each([
    ['-upload-pack=evil', /is not an acceptable branch name/],
    ['main..other', /is not an acceptable branch name/],
    ['nope', /^branch origin\/nope was not found/],
  ])('refuses the branch %s', async (branch, reason) => {
    expect(await check(SCALE_V1, { branch })).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
  });

  it('refuses an intent file outside the repository', async () => {
    const outside = join(root, 'scale.yaml');
    await writeFile(outside, SCALE_V1);
    expect(await check(SCALE_V1, { intentFile: outside })).toMatchObject({ ok: false, reason: expect.stringMatching(/is not inside the git repository/) });
  });

  it('hashes blobs exactly as git does', async () => {
    const text = 'héllo\r\nwörld\n';
    const path = join(root, 'blob.txt');
    await writeFile(path, text);
    expect(hashBlob(Buffer.from(text, 'utf8'), 40)).toBe(git(root, 'hash-object', '--no-filters', path));
  });
});
