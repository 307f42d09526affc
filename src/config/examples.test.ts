import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configJsonSchema } from './json-schema.js';
import { intentJsonSchema } from '../intent/json-schema.js';
import { loadConfig } from './load.js';
import { loadIntentCatalog } from './load-intents.js';

const EXAMPLES = join(import.meta.dirname, '../../examples');

describe('examples/', () => {
  it('loads the example config and every example intent without errors', async () => {
    const config = await loadConfig({ path: join(EXAMPLES, 'oresi.yaml'), env: {}, cwd: '/' });
    expect(config.stacksRoot).toBe(join(EXAMPLES, 'stacks'));
    expect(config.intentsDir).toBe(join(EXAMPLES, 'intents'));
    expect(config.dataDir).toBe(join(EXAMPLES, '..', '.oresi-data'));
    expect(config.compose.passEnv).toEqual(['ORESI_EXAMPLE_IMAGE']);

    const catalog = await loadIntentCatalog({ dir: config.intentsDir, stacksRoot: config.stacksRoot });
    const intents = catalog.list();
    const actions = new Set(intents.flatMap((l) => l.intent.steps.map((s) => s.action)));
    expect([...actions].sort()).toEqual(['down', 'logs', 'pull', 'restart', 'rollout', 'scale', 'status', 'up']);
    expect(intents.some((l) => l.intent.steps.length > 1)).toBe(true);
    expect(catalog.dependencyOrder('web-rollout')).toEqual(['web-pull']);

    const legacy = catalog.getIntent('scale_stack');
    expect(legacy?.deprecated).toContain('deprecated');
    expect(legacy?.intent.steps).toEqual([{ action: 'scale', service: 'plex', replicas: 2 }]);
    // Only the legacy file may be deprecated; the others are the v1 examples to copy from.
    expect(intents.filter((l) => l.deprecated).map((l) => l.intent.name)).toEqual(['scale_stack']);
  });

  it('the original fixture works against the example stacks root', async () => {
    const { parseIntentFile } = await import('../intent/parse.js');
    const file = join(import.meta.dirname, '../../test/fixtures/intents/legacy/scale_stack.yaml');
    const r = parseIntentFile(readFileSync(file, 'utf8'), file, { stacksRoot: '/opt/stacks' });
    expect(r.ok && r.value[0]?.intent.stack).toBe('stack-media');
  });

  it('example stacks declare the services the intents use', () => {
    const services = (stack: string, file: string): string[] =>
      Object.keys((parse(readFileSync(join(EXAMPLES, 'stacks', stack, file), 'utf8')) as { services: object }).services);
    expect(services('stack-media', 'docker-compose.yml')).toEqual(['plex', 'sidecar']);
    expect(services('stack-web', 'compose.yaml')).toEqual(['web', 'worker']);
    expect(services('stack-tools', 'compose.yaml')).toEqual(['cron']);
  });
});

describe('JSON Schema export', () => {
  it('describes the intent input shape', () => {
    const schema = intentJsonSchema() as { $id: string; properties: Record<string, unknown>; required: string[] };
    expect(schema.$id).toBe('https://oresi.dev/schema/intent-v1.json');
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['apiVersion', 'kind', 'name', 'stack', 'steps', 'depends_on', 'approval']));
    // Defaults are optional for authors.
    expect(schema.required.sort()).toEqual(['apiVersion', 'kind', 'name', 'stack', 'steps']);
    expect(JSON.stringify(schema)).toContain('^[a-z0-9][a-z0-9_.-]{0,62}$');
  });

  it('describes oresi.yaml', () => {
    const schema = configJsonSchema() as { title: string; properties: Record<string, unknown>; additionalProperties: unknown };
    expect(schema.title).toContain('oresi.yaml');
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['stacksRoot', 'server', 'principals', 'roles']));
    expect(schema.additionalProperties).toBe(false);
  });
});
