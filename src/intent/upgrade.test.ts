import fc from 'fast-check';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIntentFile } from './parse.js';
import { nameFromFile, resolveComposeStack } from './upgrade.js';

describe('resolveComposeStack', () => {
  it.each([
    ['/opt/stacks/stack-media/docker-compose.yml', 'stack-media'],
    ['/opt/stacks//stack-web/./compose.yaml', 'stack-web'],
  ])('accepts %s', (compose, stack) => {
    expect(resolveComposeStack(compose, '/opt/stacks')).toEqual({ ok: true, stack });
  });

  it.each([
    ['/etc/passwd', 'outside the stacks root'],
    ['/opt/stacks/../etc/x', 'must not contain ".."'],
    ['/opt/stacks/a/../../etc/compose.yaml', 'must not contain ".."'],
    ['/opt/stacksevil/x/compose.yaml', 'outside the stacks root'],
    ['stack-media/compose.yaml', 'must be an absolute path'],
    ['/opt/stacks/compose.yaml', 'must be /opt/stacks/<stack>/<compose file>'],
    ['/opt/stacks/a/b/compose.yaml', 'must be /opt/stacks/<stack>/<compose file>'],
    ['/opt/stacks/Media/compose.yaml', 'not a valid stack name'],
    ['/opt/stacks/media/evil.yaml', 'file must be one of'],
  ])('refuses %s', (compose, reason) => {
    const r = resolveComposeStack(compose, '/opt/stacks');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(reason);
  });

  it('never accepts a path whose normal form leaves the root (property)', () => {
    const seg = fc.constantFrom('..', '.', '', 'opt', 'stacks', 'stack-media', 'etc', 'compose.yaml', 'x');
    fc.assert(fc.property(fc.array(seg, { maxLength: 6 }), (segs) => {
      const compose = `/${segs.join('/')}`;
      const r = resolveComposeStack(compose, '/opt/stacks');
      if (r.ok) {
        const normal = posix.normalize(compose);
        expect(normal.startsWith('/opt/stacks/')).toBe(true);
        expect(normal.split('/')).toHaveLength(5);
        expect(compose.split('/')).not.toContain('..');
      }
    }));
  });
});

describe('nameFromFile', () => {
  it('lowercases the base name without extension', () => {
    expect(nameFromFile('/a/b/Scale_Stack.YML')).toBe('scale_stack');
    expect(nameFromFile('scale_stack.yaml')).toBe('scale_stack');
  });
});

describe('parseIntentFile on arbitrary input (property)', () => {
  it('returns data, never throws, and every diagnostic is positioned in the file', () => {
    const text = fc.oneof(
      fc.string(),
      fc.dictionary(fc.constantFrom('action', 'stack', 'service', 'replicas', 'compose', 'name', 'command', 'apiVersion', 'kind', 'steps'),
        fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.string()))).map((o) => JSON.stringify(o)),
    );
    fc.assert(fc.property(text, (t) => {
      const r = parseIntentFile(t, 'x.yaml');
      if (!r.ok) {
        const lines = t.split('\n').length;
        for (const d of r.errors) {
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.line).toBeLessThanOrEqual(lines + 1);
          expect(d.message.length).toBeGreaterThan(0);
        }
      } else {
        for (const l of r.value) expect(l.intent.steps.length).toBeGreaterThan(0);
      }
    }), { numRuns: 300 });
  });
});
