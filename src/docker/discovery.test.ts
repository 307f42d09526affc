import * as fsp from 'node:fs/promises';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { discoverStacks, findStack } from './discovery.js';

let base: string;
let root: string;
let outside: string;

beforeEach(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'oresi-discovery-')));
  root = join(base, 'stacks');
  outside = join(base, 'outside');
  await mkdir(root);
  await mkdir(outside);
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

async function stack(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
  return dir;
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  return err instanceof AppError ? `${err.code}: ${err.message}` : `no AppError: ${String(err)}`;
}

const WEB = 'services:\n  web:\n    image: x\n  db:\n    image: y\n';

describe('findStack', () => {
  it('reads the Dockge layout: compose file, env files in order, services', async () => {
    const dir = await stack('media', { 'compose.yaml': WEB, '.env': 'A=1\n' });
    await writeFile(join(root, 'global.env'), 'G=1\n');
    expect(await findStack({ root, name: 'media', fs: fsp })).toEqual({
      name: 'media', dir, composeFile: join(dir, 'compose.yaml'),
      envFiles: [join(root, 'global.env'), join(dir, '.env')], services: ['web', 'db'],
      contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('the content hash changes when the compose file or an env file changes, and only then', async () => {
    const dir = await stack('edited', { 'compose.yaml': WEB, '.env': 'A=1\n' });
    const first = (await findStack({ root, name: 'edited', fs: fsp })).contentHash;
    expect((await findStack({ root, name: 'edited', fs: fsp })).contentHash).toBe(first);
    await writeFile(join(dir, '.env'), 'A=2\n');
    const second = (await findStack({ root, name: 'edited', fs: fsp })).contentHash;
    expect(second).not.toBe(first);
    await writeFile(join(dir, 'compose.yaml'), WEB + '# edited\n');
    expect((await findStack({ root, name: 'edited', fs: fsp })).contentHash).not.toBe(second);
  });

  it('takes the first existing compose file name in Dockge order', async () => {
    const dir = await stack('a', { 'compose.yml': 'services: {z: {}}', 'docker-compose.yml': WEB });
    const facts = await findStack({ root, name: 'a', fs: fsp });
    expect(facts.composeFile).toBe(join(dir, 'docker-compose.yml'));
    expect(facts.envFiles).toEqual([]);
  });

  it('refuses a stack folder that is a symlink out of the root', async () => {
    await writeFile(join(outside, 'compose.yaml'), WEB);
    await symlink(outside, join(root, 'evil'));
    expect(await codeOf(findStack({ root, name: 'evil', fs: fsp }))).toMatch(/^E_STACK_INVALID: .*outside the stacks root/);
  });

  it('refuses a compose file or .env that links out of the root', async () => {
    await writeFile(join(outside, 'compose.yaml'), WEB);
    const dir = await stack('linked', {});
    await symlink(join(outside, 'compose.yaml'), join(dir, 'compose.yaml'));
    expect(await codeOf(findStack({ root, name: 'linked', fs: fsp }))).toMatch(/^E_STACK_INVALID: .*compose file/);
    const dir2 = await stack('envlink', { 'compose.yaml': WEB });
    await writeFile(join(outside, 'secret'), 'X=1');
    await symlink(join(outside, 'secret'), join(dir2, '.env'));
    expect(await codeOf(findStack({ root, name: 'envlink', fs: fsp }))).toMatch(/^E_STACK_INVALID: .*env file/);
  });

  it('allows a symlink that stays inside the root', async () => {
    const real = await stack('real', { 'compose.yaml': WEB });
    await symlink(real, join(root, 'alias'));
    const facts = await findStack({ root, name: 'alias', fs: fsp });
    expect(facts).toMatchObject({ name: 'alias', dir: real, services: ['web', 'db'] });
  });

  it('names the file when the compose YAML does not parse or has no mapping', async () => {
    const dir = await stack('broken', { 'compose.yaml': 'services:\n  web: [unclosed\n' });
    expect(await codeOf(findStack({ root, name: 'broken', fs: fsp }))).toContain(`E_STACK_INVALID: Stack broken: ${join(dir, 'compose.yaml')} is not valid YAML`);
    await stack('list', { 'compose.yaml': '- a\n- b\n' });
    expect(await codeOf(findStack({ root, name: 'list', fs: fsp }))).toMatch(/^E_STACK_INVALID: .*not a mapping/);
    await stack('svc', { 'compose.yaml': 'services: [a, b]\n' });
    expect(await codeOf(findStack({ root, name: 'svc', fs: fsp }))).toMatch(/^E_STACK_INVALID: .*services/);
  });

  it('reads services through YAML anchors and merge keys', async () => {
    await stack('anchors', { 'compose.yaml': 'x-base: &base\n  image: a\nservices:\n  one:\n    <<: *base\n  two: *base\n' });
    expect((await findStack({ root, name: 'anchors', fs: fsp })).services).toEqual(['one', 'two']);
  });

  it('treats missing, unlisted, file-only and invalid names as not found', async () => {
    await stack('hidden', { 'compose.yaml': WEB });
    await stack('empty', {});
    await writeFile(join(root, 'plainfile'), 'x');
    expect(await codeOf(findStack({ root, name: 'nope', fs: fsp }))).toBe('E_STACK_NOT_FOUND: Stack nope does not exist.');
    expect(await codeOf(findStack({ root, name: 'hidden', allowlist: ['other'], fs: fsp }))).toBe('E_STACK_NOT_FOUND: Stack hidden does not exist.');
    expect(await codeOf(findStack({ root, name: 'empty', fs: fsp }))).toMatch(/^E_STACK_NOT_FOUND: .*no compose file/);
    expect(await codeOf(findStack({ root, name: 'plainfile', fs: fsp }))).toMatch(/^E_STACK_NOT_FOUND/);
    expect(await codeOf(findStack({ root, name: '../outside', fs: fsp }))).toMatch(/^E_STACK_NOT_FOUND: .*not a valid stack name/);
  });

  it('property: no name outside NAME_PATTERN ever resolves, whatever is on disk', async () => {
    await stack('ok', { 'compose.yaml': WEB });
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 70 }).filter((s) => !/^[a-z0-9][a-z0-9_.-]{0,62}$/.test(s)), async (name) => {
        expect(await codeOf(findStack({ root, name, fs: fsp }))).toMatch(/^E_STACK_NOT_FOUND/);
      }),
      { numRuns: 200 },
    );
  });
});

describe('discoverStacks', () => {
  it('lists good stacks sorted and reports problems without failing', async () => {
    await stack('zeta', { 'docker-compose.yml': WEB });
    await stack('alpha', { 'compose.yaml': 'services:\n  app: {}\n' });
    await stack('broken', { 'compose.yaml': 'services: [' });
    await stack('.git', {});
    await writeFile(join(root, 'global.env'), 'G=1\n');
    await symlink(outside, join(root, 'escape'));
    const r = await discoverStacks({ root, fs: fsp });
    expect(r.stacks.map((s) => [s.name, s.services])).toEqual([['alpha', ['app']], ['zeta', ['web', 'db']]]);
    expect(r.stacks[0]?.envFiles).toEqual([join(root, 'global.env')]);
    expect(r.problems.map((p) => p.name)).toEqual(['broken', 'escape']);
  });

  it('honours the allowlist and reports allowlisted stacks that are missing', async () => {
    await stack('one', { 'compose.yaml': WEB });
    await stack('two', { 'compose.yaml': WEB });
    const r = await discoverStacks({ root, allowlist: ['two', 'gone'], fs: fsp });
    expect(r.stacks.map((s) => s.name)).toEqual(['two']);
    expect(r.problems).toEqual([{ name: 'gone', reason: 'Stack gone does not exist.' }]);
  });

  it('fails with E_STACK_NOT_FOUND when the root is missing', async () => {
    expect(await codeOf(discoverStacks({ root: join(base, 'nope'), fs: fsp }))).toMatch(/^E_STACK_NOT_FOUND/);
  });
});
