import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import type { Diagnostic } from '../intent/yaml-source.js';
import { loadIntentCatalog, readIntentFiles } from './load-intents.js';

const status = (name: string): string => `apiVersion: oresi.dev/v1\nkind: Intent\nname: ${name}\nstack: s\nsteps: [{ action: status }]\n`;

describe('readIntentFiles / loadIntentCatalog', () => {
  it('reads *.yaml and *.yml directly in the folder, sorted, with absolute paths', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oresi-intents-'));
    writeFileSync(join(dir, 'b.yml'), status('b'));
    writeFileSync(join(dir, 'a.yaml'), status('a'));
    writeFileSync(join(dir, 'notes.txt'), 'command: ignored');
    writeFileSync(join(dir, '.hidden.yaml'), 'command: ignored');
    mkdirSync(join(dir, 'sub.yaml'));
    mkdirSync(join(dir, 'nested'));
    writeFileSync(join(dir, 'nested', 'c.yaml'), status('c'));

    const files = await readIntentFiles(dir);
    expect(files.map((f) => f.file)).toEqual([join(dir, 'a.yaml'), join(dir, 'b.yml')]);
    const catalog = await loadIntentCatalog({ dir, stacksRoot: '/opt/stacks' });
    expect(catalog.list().map((l) => [l.intent.name, l.file])).toEqual([['a', join(dir, 'a.yaml')], ['b', join(dir, 'b.yml')]]);
  });

  it('throws E_INTENT_INVALID with every diagnostic', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oresi-intents-'));
    writeFileSync(join(dir, 'a.yaml'), status('a'));
    writeFileSync(join(dir, 'dup.yaml'), status('a'));
    writeFileSync(join(dir, 'legacy.yaml'), 'action: scale\nservice: plex\nreplicas: 2\ncompose: /opt/stacks/m/compose.yaml\n');
    const err = await loadIntentCatalog({ dir, stacksRoot: '/srv/stacks' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('E_INTENT_INVALID');
    const diags = ((err as AppError).details as { diagnostics: Diagnostic[] }).diagnostics;
    expect(diags.map((d) => [d.file, d.line, d.path])).toEqual([
      [join(dir, 'dup.yaml'), 3, 'name'],
      [join(dir, 'legacy.yaml'), 4, 'compose'],
    ]);
    expect((err as AppError).message).toContain(`${join(dir, 'legacy.yaml')}:4:10 compose: compose: "/opt/stacks/m/compose.yaml" is outside the stacks root /srv/stacks/`);
  });

  it('refuses a missing intents folder, naming it', async () => {
    const err = await loadIntentCatalog({ dir: '/nonexistent/intents', stacksRoot: '/opt/stacks' }).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('E_CONFIG_INVALID');
    expect((err as AppError).message).toContain('intentsDir /nonexistent/intents cannot be read');
  });
});
