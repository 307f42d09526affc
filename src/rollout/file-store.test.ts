import * as fsp from 'node:fs/promises';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileRollbackStore } from './file-store.js';
import type { RollbackPoint } from './rollback-point.js';

const IMG = `sha256:${'a'.repeat(64)}`;
function point(id: string, createdAt: string, stack = 'media'): RollbackPoint {
  return {
    version: 1, id, stack, createdAt, composeFile: '/opt/stacks/media/compose.yaml', containerConfigFiles: [],
    services: [{
      service: 'web', imageRef: 'app:1', imageId: IMG, repoDigests: [], rollbackTag: 'oresi-rollback/media-web:x',
      configHash: null, composeVersion: '1.29.2', mixedImages: false,
      containers: [{ id: 'c', name: 'media-web-1', imageId: IMG, state: 'running' }],
    }],
  };
}

describe('createFileRollbackStore', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'oresi-rollouts-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('saves under rollouts/<stack>/<id>.json and reads it back', async () => {
    const store = createFileRollbackStore(dataDir, fsp);
    const p = point('p1', '2024-01-01T00:00:00.000Z');
    const file = await store.save(p);
    expect(file).toBe(join(dataDir, 'rollouts', 'media', 'p1.json'));
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(p);
    expect(await store.load('media', 'p1')).toEqual(p);
    expect(await store.load('media', 'nope')).toBeNull();
    // Nothing half-written is left behind.
    expect(await readdir(join(dataDir, 'rollouts', 'media'))).toEqual(['p1.json']);
  });

  it('lists newest first and reports unreadable files instead of throwing', async () => {
    const store = createFileRollbackStore(dataDir, fsp);
    await store.save(point('old', '2024-01-01T00:00:00.000Z'));
    await store.save(point('new', '2024-03-01T00:00:00.000Z'));
    await store.save(point('mid', '2024-02-01T00:00:00.000Z'));
    await writeFile(join(dataDir, 'rollouts', 'media', 'bad.json'), '{"version":1');
    await writeFile(join(dataDir, 'rollouts', 'media', 'other.json'), JSON.stringify(point('other', '2025-01-01T00:00:00.000Z', 'tv')));
    const { points, problems } = await store.list('media');
    expect(points.map((p) => p.id)).toEqual(['new', 'mid', 'old']);
    expect(problems.map((p) => p.file.split('/').pop()).sort()).toEqual(['bad.json', 'other.json']);
    expect(await store.list('empty')).toEqual({ points: [], problems: [] });
    await expect(store.load('media', 'bad')).rejects.toMatchObject({ code: 'E_INTERNAL' });
  });

  it('writes overrides beside the points', async () => {
    const store = createFileRollbackStore(dataDir, fsp);
    const file = await store.writeOverride('media', 'p1', 'services: {}\n');
    expect(file).toBe(join(dataDir, 'rollouts', 'media', 'override-p1.yaml'));
    expect(await readFile(file, 'utf8')).toBe('services: {}\n');
    expect((await store.list('media')).points).toEqual([]);
  });

  it('refuses a relative data dir', () => {
    expect(() => createFileRollbackStore('./data', fsp)).toThrow(expect.objectContaining({ code: 'E_INTERNAL' }));
  });

  it('never lets a stack or id from a caller leave the data dir', async () => {
    const store = createFileRollbackStore(dataDir, fsp);
    await fc.assert(fc.asyncProperty(fc.string(), fc.string(), async (stack, id) => {
      let file: string | undefined;
      try {
        file = await store.writeOverride(stack, id, 'x');
      } catch (err) {
        expect(err).toMatchObject({ code: 'E_PARAM_INVALID' });
        return;
      }
      const rel = relative(join(dataDir, 'rollouts'), file);
      expect(rel.startsWith('..')).toBe(false);
      expect(rel.split('/')).toHaveLength(2);
    }), { numRuns: 200 });
    await expect(store.load('media', '../../etc/passwd')).rejects.toMatchObject({ code: 'E_PARAM_INVALID' });
    await expect(store.load('../media', 'p1')).rejects.toMatchObject({ code: 'E_PARAM_INVALID' });
  });
});
