import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMAND_REJECTED_MESSAGE, parseIntentFile } from './parse.js';
import type { LoadedIntent } from './schema.js';
import { formatDiagnostic } from './yaml-source.js';
import type { Result } from './yaml-source.js';

const FIXTURES = join(import.meta.dirname, '../../test/fixtures/intents');

function parseFixture(rel: string, stacksRoot?: string): Result<LoadedIntent[]> {
  const file = join(FIXTURES, rel);
  return parseIntentFile(readFileSync(file, 'utf8'), file, stacksRoot ? { stacksRoot } : {});
}

function ok(result: Result<LoadedIntent[]>): LoadedIntent[] {
  if (!result.ok) throw new Error(result.errors.map(formatDiagnostic).join('\n'));
  return result.value;
}

describe('invalid fixtures report file:line:col path: message', () => {
  const files = readdirSync(join(FIXTURES, 'invalid')).filter((f) => f.endsWith('.yaml')).sort();
  it.each(files)('%s', (name) => {
    const file = join(FIXTURES, 'invalid', name);
    const text = readFileSync(file, 'utf8');
    // Each fixture states its expected diagnostics as `# expect: line:col path: message-prefix`.
    const expected = [...text.matchAll(/^# expect: (\d+):(\d+) (\S+): (.+)$/gm)];
    expect(expected.length).toBeGreaterThan(0);
    const result = parseIntentFile(text, file);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const got = result.errors.map((d) => ({ ...d, message: d.message }));
    expect(got).toHaveLength(expected.length);
    for (const [, line, col, path, message] of expected) {
      const hit = got.find((d) => d.line === Number(line) && d.col === Number(col) && d.path === path);
      expect(hit, `no diagnostic at ${line}:${col} ${path}; got ${got.map(formatDiagnostic).join(' | ')}`).toBeDefined();
      expect(hit?.message.startsWith(message as string)).toBe(true);
      expect(hit?.file).toBe(file);
    }
  });
});

describe('v1 intents', () => {
  it('parses a parameterised intent and applies defaults', () => {
    const [loaded, ...rest] = ok(parseFixture('valid/scale-plex.yaml'));
    expect(rest).toHaveLength(0);
    expect(loaded?.deprecated).toBeUndefined();
    expect(loaded?.intent).toEqual({
      apiVersion: 'oresi.dev/v1',
      kind: 'Intent',
      name: 'scale-plex',
      description: 'Scale plex between 0 and 4 replicas.',
      stack: 'stack-media',
      params: {
        replicas: { type: 'integer', min: 0, max: 4, default: 1 },
        service: { type: 'service', default: 'plex' },
      },
      steps: [{ action: 'scale', service: { param: 'service' }, replicas: { param: 'replicas' } }],
      timeoutSeconds: 300,
      depends_on: [],
      approval: { label: 'approved' },
    });
    expect(loaded?.source).toBe(readFileSync(join(FIXTURES, 'valid/scale-plex.yaml'), 'utf8'));
  });

  it('gives each document of a multi-intent file its own source text', () => {
    const loaded = ok(parseFixture('valid/two-intents.yaml'));
    expect(loaded.map((l) => l.intent.name)).toEqual(['web-status', 'web-logs']);
    expect(loaded[0]?.source).toContain('name: web-status');
    expect(loaded[0]?.source).not.toContain('web-logs');
    expect(loaded[1]?.source).toContain('name: web-logs');
    expect(loaded[1]?.intent.depends_on).toEqual(['web-status']);
  });
});

describe('original (legacy) format', () => {
  it('upgrades the original scale_stack.yaml unchanged', () => {
    const file = join(FIXTURES, 'legacy/scale_stack.yaml');
    const [loaded, ...rest] = ok(parseFixture('legacy/scale_stack.yaml'));
    expect(rest).toHaveLength(0);
    expect(loaded?.intent).toEqual({
      apiVersion: 'oresi.dev/v1',
      kind: 'Intent',
      name: 'scale_stack',
      stack: 'stack-media',
      params: {},
      steps: [{ action: 'scale', service: 'plex', replicas: 2 }],
      timeoutSeconds: 300,
      depends_on: [],
      approval: { label: 'approved-by-gemini' },
    });
    expect(loaded?.file).toBe(file);
    expect(loaded?.source).toBe(readFileSync(file, 'utf8'));
    expect(loaded?.deprecated).toContain('original intent format');
    expect(loaded?.deprecated).toContain('apiVersion: oresi.dev/v1');
    expect(loaded?.deprecated).toContain('label: approved-by-gemini');
  });

  it('turns a multi-document file into one intent with a step per document', () => {
    const [loaded] = ok(parseFixture('legacy/multi_doc.yaml'));
    expect(loaded?.intent.name).toBe('media-reshuffle');
    expect(loaded?.intent.stack).toBe('stack-media');
    expect(loaded?.intent.steps).toEqual([
      { action: 'scale', service: 'plex', replicas: 0 },
      { action: 'rollout', service: 'sidecar' },
      { action: 'scale', service: 'plex', replicas: 1 },
    ]);
  });

  it('checks compose: against the stacks root it is given', () => {
    const result = parseFixture('legacy/scale_stack.yaml', '/srv/stacks');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.message).toContain('outside the stacks root /srv/stacks/');
    const text = 'action: rollout\ncompose: /srv/stacks/stack-web/compose.yaml\n';
    const moved = parseIntentFile(text, '/x/web.yml', { stacksRoot: '/srv/stacks/' });
    expect(moved.ok && moved.value[0]?.intent).toMatchObject({ name: 'web', stack: 'stack-web', steps: [{ action: 'rollout' }] });
  });

  it('explains why command: is refused and what to write instead', () => {
    const result = parseFixture('invalid/legacy-command.yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.message).toBe(COMMAND_REJECTED_MESSAGE);
    expect(COMMAND_REJECTED_MESSAGE).toContain('remote code execution');
    expect(COMMAND_REJECTED_MESSAGE).toContain('action: scale');
  });
});
