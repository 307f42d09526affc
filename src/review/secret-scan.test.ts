import { describe, expect, it } from 'vitest';
import { createRedactor } from '../policy/redact.js';
import { findSecretHits } from './secret-scan.js';
import type { FileChange } from './types.js';

const file = (path: string, lines: string[]): FileChange => ({
  path, status: 'modified', binary: false, added: lines.map((text, i) => ({ line: 10 + i, text })),
});

describe('findSecretHits', () => {
  it('finds tokens and assignments with their head line numbers, never their values', async () => {
    const token = `ghp_${'Ab3'.repeat(12)}`;
    const hits = await findSecretHits([file('stacks/a/compose.yaml', ['services:', `      GITHUB_TOKEN: ${token}`, '      DB_PASSWORD: "Sup3r-S3cret!"'])], createRedactor());
    expect(hits).toEqual([
      { path: 'stacks/a/compose.yaml', line: 11, detector: 'redaction patterns' },
      { path: 'stacks/a/compose.yaml', line: 12, detector: 'redaction patterns' },
    ]);
    expect(JSON.stringify(hits)).not.toContain(token);
  });

  it('does not flag references, placeholders or prose', async () => {
    const hits = await findSecretHits([file('x.yml', [
      '      DB_PASSWORD: ${DB_PASSWORD}',
      '      GH_TOKEN: ${{ secrets.GH_TOKEN }}',
      '      POSTGRES_PASSWORD_FILE: /run/secrets/db',
      '      API_KEY: <your-key>',
      '      password: changeme',
      '# Env files hold secrets: they live on the host only.',
    ])], createRedactor());
    expect(hits).toEqual([]);
  });

  it('flags a known value (from a committed env file) whatever it looks like', async () => {
    const known = 'plainword';
    const hits = await findSecretHits([file('notes.txt', ['nothing here', `the value is ${known}`])], createRedactor({ secrets: [known] }), [known]);
    expect(hits).toEqual([{ path: 'notes.txt', line: 11, detector: 'committed env value' }]);
  });
});
