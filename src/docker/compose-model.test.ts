import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { readStackDefinition } from './compose-model-read.js';
import { interpolate, splitCommand } from './compose-model-text.js';
import { parseComposeModel, toPorts } from './compose-model.js';

const src = { name: 'media', dir: '/opt/stacks/media', composeFile: '/opt/stacks/media/compose.yaml', vars: { TAG: '1.2.3', EMPTY: '' } };

describe('parseComposeModel', () => {
  it('reads every compared field, in both list and map forms', () => {
    const model = parseComposeModel(`
x-common: &common
  network_mode: none
services:
  web:
    <<: *common
    image: reg/app:\${TAG}
    command: sh -c 'echo "hi there"'
    environment: [A=1, B]
    labels: { tier: front, n: 2 }
    ports: ["8080:80", "127.0.0.1:9090:90/udp", { target: 443, published: 8443 }]
    volumes: [./data:/data:ro, /cache, { type: volume, source: v, target: /v }]
    healthcheck: { test: ["CMD", "true"] }
    deploy: { replicas: 3 }
  db:
    build: .
    scale: 2
    command: ["postgres", 5432]
    environment: { PW: '\${MISSING}', N: 1 }
    healthcheck: { disable: true }
    profiles: [debug]
`, src);
    expect(model.services.map((s) => s.name)).toEqual(['web', 'db']);
    expect(model.services[0]).toEqual({
      name: 'web', image: 'reg/app:1.2.3', replicas: 3, command: ['sh', '-c', 'echo "hi there"'],
      environment: { A: '1', B: null }, labels: { tier: 'front', n: '2' },
      ports: [
        { hostIp: '', published: '8080', target: '80', protocol: 'tcp' },
        { hostIp: '127.0.0.1', published: '9090', target: '90', protocol: 'udp' },
        { hostIp: '', published: '8443', target: '443', protocol: 'tcp' },
      ],
      volumeTargets: ['/data', '/cache', '/v'], healthcheck: true, optional: false, unresolved: [],
    });
    expect(model.services[1]).toMatchObject({
      image: null, replicas: 2, command: ['postgres', '5432'], environment: { PW: '', N: '1' },
      healthcheck: false, optional: true, unresolved: ['environment'],
    });
  });

  it('refuses text that is not a compose mapping, with the file named', () => {
    expect(() => parseComposeModel('services: [1', src)).toThrow(AppError);
    expect(() => parseComposeModel('- a', src)).toThrow(/compose.yaml is not a mapping/);
  });

  it('gives up on port ranges rather than guessing', () => {
    expect(toPorts(['8000-8010:8000-8010'])).toBeNull();
    expect(toPorts(['[::1]:53:53/udp'])).toEqual([{ hostIp: '::1', published: '53', target: '53', protocol: 'udp' }]);
    expect(toPorts(['80'])).toEqual([{ hostIp: '', published: null, target: '80', protocol: 'tcp' }]);
  });
});

describe('interpolate', () => {
  it.each([
    ['${TAG}', '1.2.3', false],
    ['$TAG-x', '1.2.3-x', false],
    ['$$TAG', '$TAG', false],
    ['${EMPTY:-d}', 'd', false],
    ['${EMPTY-d}', '', false],
    ['${NOPE-d}', 'd', false],
    ['${TAG:+set}', 'set', false],
    ['${NOPE}', '', true],
    ['${NOPE:?need it}', '', true],
  ])('%s → %s', (text, value, unresolved) => {
    expect(interpolate(text, src.vars)).toEqual({ value, unresolved });
  });

  it('leaves text without $ unchanged', () => {
    fc.assert(fc.property(fc.string().filter((s) => !s.includes('$')), (s) => {
      expect(interpolate(s, src.vars)).toEqual({ value: s, unresolved: false });
    }));
  });
});

describe('splitCommand', () => {
  it('splits like a POSIX shell without running one', () => {
    expect(splitCommand(`a 'b c' "d \\"e\\"" f\\ g`)).toEqual(['a', 'b c', 'd "e"', 'f g']);
    expect(splitCommand(`echo ''`)).toEqual(['echo', '']);
    expect(splitCommand(`echo "open`)).toBeNull();
  });

  it('round-trips words joined by single-quoting', () => {
    fc.assert(fc.property(fc.array(fc.string().filter((w) => !w.includes("'")), { maxLength: 6 }), (words) => {
      expect(splitCommand(words.map((w) => `'${w}'`).join(' '))).toEqual(words);
    }));
  });
});

describe('readStackDefinition', () => {
  it('interpolates from the env files compose reads and reports the newest mtime', async () => {
    const dir = await realpath(await mkdtemp(join(tmpdir(), 'oresi-model-')));
    try {
      await writeFile(join(dir, 'global.env'), 'TAG=from-global\nOTHER=g\n');
      await writeFile(join(dir, '.env'), 'TAG=from-stack\n');
      await writeFile(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: app:${TAG}\n    environment: ["O=${OTHER}"]\n');
      const facts = { name: 's', dir, composeFile: join(dir, 'compose.yaml'), envFiles: [join(dir, 'global.env'), join(dir, '.env')], services: ['web'] };
      const v2 = await readStackDefinition(fsp, facts, 'v2', {});
      expect(v2.model.services[0]).toMatchObject({ image: 'app:from-stack', environment: { O: 'g' }, unresolved: [] });
      // v1 reads only the last env file (as oresi passes it), so OTHER is unset there.
      const v1 = await readStackDefinition(fsp, facts, 'v1', {});
      expect(v1.model.services[0]).toMatchObject({ image: 'app:from-stack', unresolved: ['environment'] });
      const newest = Math.max(...(await Promise.all(['global.env', '.env', 'compose.yaml'].map(async (f) => (await fsp.stat(join(dir, f))).mtimeMs))));
      expect(v2.filesChangedAt).toBe(newest);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
