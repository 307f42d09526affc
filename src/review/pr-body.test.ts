import { describe, expect, it } from 'vitest';
import { notesAbout, sectionText } from './pr-body.js';

describe('PR body notes', () => {
  const body = '## What\nbump\n\n## Rollback\n<!-- how to undo -->\nredeploy v1.2.3\n\n### Backup\n<!-- fill me -->\n## Other\nrevert is easy\n';

  it('reads a section without its template comments', () => {
    expect(sectionText(body, /rollback/i)).toBe('redeploy v1.2.3');
    expect(sectionText(body, /backup/i)).toBe('');
  });

  it('falls back to matching lines when the section is empty or missing', () => {
    expect(notesAbout('We can revert this by tag v1.', /revert/i)).toBe('We can revert this by tag v1.');
    expect(notesAbout(body, /backup/i)).toBe('');
    expect(notesAbout('## Rollback\n<!-- template only -->\n', /rollback/i)).toBe('');
  });
});
