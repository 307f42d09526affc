import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesPathGlob } from './path-glob.js';

describe('matchesPathGlob', () => {
  it.each([
    ['stacks/**', 'stacks/media/compose.yaml', true],
    ['stacks/**', 'stacks', false],
    ['stacks/*/compose.yaml', 'stacks/media/compose.yaml', true],
    ['stacks/*/compose.yaml', 'stacks/a/b/compose.yaml', false],
    ['docs/**/*.md', 'docs/guide.md', true],
    ['docs/**/*.md', 'docs/stacks/media.md', true],
    ['docs/**/*.md', 'docs/stacks/media.txt', false],
    ['*.md', 'README.md', true],
    ['*.md', 'docs/deep/notes.md', true],
    ['**/.env', '.env', true],
    ['**/.env', 'stacks/x/.env', true],
    ['**/.env', 'stacks/x/.env.example', false],
    ['CHANGELOG.md', 'docs/CHANGELOG.md', true],
    ['/CHANGELOG.md', 'docs/CHANGELOG.md', false],
    ['a.b', 'axb', false],
    ['stacks/?/x', 'stacks/a/x', true],
  ])('%s vs %s → %s', (glob, path, expected) => {
    expect(matchesPathGlob(glob, path)).toBe(expected);
  });

  it('matches every path literally against itself, whatever regex characters it holds', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_.+()[\]{}$^|-]{1,12}$/);
    fc.assert(fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), (parts) => {
      const path = parts.join('/');
      expect(matchesPathGlob(path, path)).toBe(true);
      expect(matchesPathGlob(path, `${path}x`)).toBe(false);
    }));
  });
});
