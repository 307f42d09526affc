import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DEFAULT_POLICY, RedactionPolicy } from '../policy/policy-schema.js';
import { collectStackSecrets } from './stack-secrets.js';

let root: string;
beforeEach(async () => { root = await mkdtemp(join(tmpdir(), 'oresi-secrets-')); });
afterEach(async () => { await rm(root, { recursive: true, force: true }); });

async function stack(name: string, env?: string): Promise<void> {
  await mkdir(join(root, name), { recursive: true });
  await writeFile(join(root, name, 'compose.yaml'), 'services: {}\n');
  if (env !== undefined) await writeFile(join(root, name, '.env'), env);
}

describe('collectStackSecrets', () => {
  test('collects values from every stack .env and global.env, skipping what redact_env.py shows', async () => {
    await stack('media', 'TZ=Europe/Berlin\nPUID=1000\nPLEX_CLAIM=claim-abc123\nSHORT=abc\nON=true\nEMPTY=\n');
    await stack('db', 'export DB_PASSWORD="correct horse"\nDUP=claim-abc123\n');
    await stack('no-env');
    await writeFile(join(root, 'global.env'), 'GLOBAL_TOKEN=global-token-1\n');
    const secrets = await collectStackSecrets({ stacksRoot: root, fs: fsp, policy: DEFAULT_POLICY });
    expect(secrets.sort()).toEqual(['claim-abc123', 'correct horse', 'global-token-1']);
  });

  test('multi-line values are added whole and per line; escaped values also unescaped', async () => {
    await stack('app', 'CERT="line-one-abc\nline-two-def"\nQ="a\\"quoted\\"b"\n');
    const secrets = await collectStackSecrets({ stacksRoot: root, fs: fsp, policy: DEFAULT_POLICY });
    expect(secrets).toEqual(expect.arrayContaining(['line-one-abc\nline-two-def', 'line-one-abc', 'line-two-def', 'a\\"quoted\\"b', 'a"quoted"b']));
  });

  test('honours minSecretLength and useStackEnvSecrets', async () => {
    await stack('app', 'A=abcd\nB=abcdefgh\n');
    const four = { redaction: RedactionPolicy.parse({ minSecretLength: 4 }) };
    expect((await collectStackSecrets({ stacksRoot: root, fs: fsp, policy: four })).sort()).toEqual(['abcd', 'abcdefgh']);
    const off = { redaction: RedactionPolicy.parse({ useStackEnvSecrets: false }) };
    expect(await collectStackSecrets({ stacksRoot: root, fs: fsp, policy: off })).toEqual([]);
  });

  test('a missing stacks root yields no secrets', async () => {
    expect(await collectStackSecrets({ stacksRoot: join(root, 'nope'), fs: fsp, policy: DEFAULT_POLICY })).toEqual([]);
  });

  test('an unreadable .env stops start-up with the file named', async () => {
    // A directory where the file should be fails to read even as root (chmod 000 would not).
    await stack('locked');
    await mkdir(join(root, 'locked', '.env'));
    await expect(collectStackSecrets({ stacksRoot: root, fs: fsp, policy: DEFAULT_POLICY }))
      .rejects.toMatchObject({ code: 'E_CONFIG_INVALID', message: expect.stringContaining('locked/.env') });
  });
});
