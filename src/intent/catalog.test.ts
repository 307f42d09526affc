import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { buildCatalog } from './catalog.js';
import type { IntentCatalog } from './catalog.js';
import { formatDiagnostic } from './yaml-source.js';

function intent(name: string, deps: string[] = [], extra = ''): string {
  return [
    'apiVersion: oresi.dev/v1',
    'kind: Intent',
    `name: ${name}`,
    'stack: stack-web',
    'steps:',
    '  - action: status',
    `depends_on: [${deps.join(', ')}]`,
    extra,
  ].join('\n');
}

function build(files: Record<string, string>): ReturnType<typeof buildCatalog> {
  return buildCatalog(Object.entries(files).map(([file, text]) => ({ file, text })));
}

function catalogOf(files: Record<string, string>): IntentCatalog {
  const r = build(files);
  if (!r.ok) throw new Error(r.errors.map(formatDiagnostic).join('\n'));
  return r.value;
}

describe('buildCatalog', () => {
  it('orders dependencies depth-first, each once, without the intent itself', () => {
    const catalog = catalogOf({
      'a.yaml': intent('a', ['b', 'c']),
      'b.yaml': intent('b', ['d']),
      'c.yaml': intent('c', ['d']),
      'd.yaml': intent('d'),
    });
    expect(catalog.dependencyOrder('a')).toEqual(['d', 'b', 'c']);
    expect(catalog.dependencyOrder('d')).toEqual([]);
    expect(catalog.list().map((l) => l.intent.name)).toEqual(['a', 'b', 'c', 'd']);
    expect(catalog.getIntent('b')?.file).toBe('b.yaml');
    expect(catalog.getIntent('nope')).toBeUndefined();
    expect(() => catalog.dependencyOrder('nope')).toThrow(AppError);
  });

  it('names both files of a duplicate intent name', () => {
    const r = build({ 'one.yaml': intent('dup'), 'two.yaml': `# second copy\n${intent('dup')}` });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map(formatDiagnostic)).toEqual([
      'two.yaml:4:7 name: duplicate intent name "dup" (also defined at one.yaml:3:7)',
    ]);
  });

  it('detects duplicates between a legacy file name and a v1 intent', () => {
    const r = build({ 'scale_stack.yaml': 'action: rollout\nstack: stack-media\n', 'v1.yaml': intent('scale_stack') });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]?.message).toContain('also defined at scale_stack.yaml:1:1');
  });

  it('rejects depends_on to an unknown intent, at its position', () => {
    const r = build({ 'a.yaml': intent('a', ['b', 'ghost']), 'b.yaml': intent('b') });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map(formatDiagnostic)).toEqual(['a.yaml:7:17 depends_on[1]: depends_on names unknown intent "ghost"']);
  });

  it('names the cycle', () => {
    const r = build({ 'a.yaml': intent('a', ['b']), 'b.yaml': intent('b', ['c']), 'c.yaml': intent('c', ['a']), 'd.yaml': intent('d', ['a']) });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]?.message).toBe('depends_on cycle: a → b → c → a');
    expect(r.errors[0]?.file).toBe('c.yaml');
  });

  it('rejects an intent depending on itself', () => {
    const r = build({ 'a.yaml': intent('a', ['a']) });
    expect(!r.ok && r.errors[0]?.message).toBe('depends_on cycle: a → a');
  });

  it('refuses a dependency whose params have no defaults', () => {
    const withParam = intent('b', [], 'params:\n  svc: { type: service }');
    const r = build({ 'a.yaml': intent('a', ['b']), 'b.yaml': withParam });
    expect(!r.ok && r.errors[0]?.message).toBe('dependency "b" runs with its defaults, but its params svc have none');
  });

  it('reports parse errors of every file at once', () => {
    const r = build({ 'a.yaml': 'command: "rm -rf /"\n', 'b.yaml': intent('Bad') });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.file)).toEqual(['a.yaml', 'b.yaml']);
  });
});
