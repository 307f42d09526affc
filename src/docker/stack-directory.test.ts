import * as fsp from 'node:fs/promises';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStackDirectory } from './stack-directory.js';

let root: string;
beforeEach(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), 'oresi-stackdir-')));
  await mkdir(join(root, 'media'));
  await writeFile(join(root, 'media', 'compose.yaml'), 'services:\n  plex:\n    image: busybox\n');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('createStackDirectory', () => {
  it('changes its version only when what it finds changes, so cached plans survive re-reads', async () => {
    let clock = 0;
    const dir = createStackDirectory({ root, fs: fsp, now: () => clock });
    await dir.refresh(0);
    expect(dir.version()).toBe(1);
    expect(dir.find('media')?.services).toEqual(['plex']);

    clock = 10_000;
    await dir.refresh();
    expect(dir.version()).toBe(1);

    await writeFile(join(root, 'media', 'compose.yaml'), 'services:\n  plex:\n    image: busybox\n  jelly:\n    image: busybox\n');
    await dir.refresh(); // within the max age: the snapshot is still fresh
    expect(dir.version()).toBe(1);
    clock = 20_000;
    await dir.refresh();
    expect(dir.version()).toBe(2);
    expect(dir.find('media')?.services).toEqual(['plex', 'jelly']);

    // Only the env file changes: the content hash (and so the plan hash) must follow.
    const before = dir.find('media')?.contentHash;
    await writeFile(join(root, 'media', '.env'), 'TAG=1\n');
    await dir.refresh(0);
    expect(dir.version()).toBe(3);
    expect(dir.find('media')?.contentHash).not.toBe(before);
  });
});
