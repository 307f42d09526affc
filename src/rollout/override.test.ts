import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildOverrideYaml, readComposeFileVersion } from './override.js';

describe('buildOverrideYaml', () => {
  it('pins only images, and repeats the stack file version', () => {
    const pins = { web: '127.0.0.1:5000/t/app@sha256:' + 'a'.repeat(64), db: 'oresi-rollback/s-db:abc' };
    expect(parse(buildOverrideYaml(pins, '3.8'))).toEqual({
      version: '3.8',
      services: { web: { image: pins.web }, db: { image: pins.db } },
    });
    expect(parse(buildOverrideYaml(pins, null))).toEqual({ services: { web: { image: pins.web }, db: { image: pins.db } } });
  });
});

describe('readComposeFileVersion', () => {
  it('reads a string or number version, else null', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oresi-override-'));
    const cases: Array<[string, string | null]> = [
      ['version: "3.8"\nservices: {}\n', '3.8'],
      ['version: 2.4\nservices: {}\n', '2.4'],
      ['services: {}\n', null],
      [': : not yaml [', null],
    ];
    for (const [i, [text, want]] of cases.entries()) {
      const file = join(dir, `c${i}.yaml`);
      await writeFile(file, text);
      expect(await readComposeFileVersion(fsp, file)).toBe(want);
    }
    expect(await readComposeFileVersion(fsp, join(dir, 'missing.yaml'))).toBeNull();
    await rm(dir, { recursive: true, force: true });
  });
});
