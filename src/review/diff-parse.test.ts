import { describe, expect, it } from 'vitest';
import { parseNameStatusZ, parseUnifiedDiff, splitPatchByFile } from './diff-parse.js';

describe('parseNameStatusZ', () => {
  it('reads adds, renames with scores, deletes and names with spaces', () => {
    const out = ['A', 'stacks/a b/compose.yaml', 'R097', 'old.md', 'docs/new.md', 'D', 'x.env', ''].join('\0');
    expect(parseNameStatusZ(out)).toEqual([
      { path: 'stacks/a b/compose.yaml', status: 'added' },
      { path: 'docs/new.md', status: 'renamed', oldPath: 'old.md' },
      { path: 'x.env', status: 'deleted' },
    ]);
  });
});

describe('parseUnifiedDiff', () => {
  const patch = [
    'diff --git a/stacks/m/compose.yaml b/stacks/m/compose.yaml',
    'index 1..2 100644',
    '--- a/stacks/m/compose.yaml',
    '+++ b/stacks/m/compose.yaml',
    '@@ -1,3 +1,4 @@',
    ' services:',
    '-  old: 1',
    '+  new: 2',
    '+++ not a header: an added line starting with ++',
    '   keep: 3',
    '@@ -10,2 +11,3 @@ services:',
    ' a',
    '+b',
    '\\ No newline at end of file',
    'diff --git a/img.png b/img.png',
    'Binary files a/img.png and b/img.png differ',
    'diff --git "a/odd\\tname" "b/odd\\tname"',
    '--- "a/odd\\tname"',
    '+++ "b/odd\\tname"',
    '@@ -0,0 +1 @@',
    '+tabbed',
  ].join('\n');

  it('numbers added lines by their place in the head file, across hunks', () => {
    const files = parseUnifiedDiff(patch);
    expect(files.get('stacks/m/compose.yaml')?.added).toEqual([
      { line: 2, text: '  new: 2' },
      { line: 3, text: '++ not a header: an added line starting with ++' },
      { line: 12, text: 'b' },
    ]);
  });

  it('marks binary files and unquotes C-quoted paths', () => {
    const files = parseUnifiedDiff(patch);
    expect(files.get('img.png')).toEqual({ added: [], binary: true });
    expect(files.get('odd\tname')?.added).toEqual([{ line: 1, text: 'tabbed' }]);
  });

  it('splits a patch per file, keyed by head path', () => {
    expect(splitPatchByFile(patch).map((c) => c.path)).toEqual(['stacks/m/compose.yaml', '', 'odd\tname']);
  });
});
