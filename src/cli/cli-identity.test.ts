import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../test/helpers/cli.js';

/** A login mapped in cli.users is that principal: the two-person rule holds across key and shell. */
describe('CLI identity', () => {
  let config = '';
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oresi-cli-id-'));
    await mkdir(join(dir, 'stacks', 'web'), { recursive: true });
    await writeFile(join(dir, 'stacks', 'web', 'compose.yaml'), 'services:\n  app:\n    image: busybox\n    network_mode: none\n');
    await mkdir(join(dir, 'intents'));
    await writeFile(join(dir, 'intents', 'look.yaml'), 'apiVersion: oresi.dev/v1\nkind: Intent\nname: look\nstack: web\napproval: { quorum: 1 }\nsteps:\n  - action: status\n');
    config = join(dir, 'oresi.yaml');
    await writeFile(config, [
      'stacksRoot: ./stacks', 'intentsDir: ./intents', 'dataDir: ./data',
      'roles:', '  ops: { approve: true }',
      'principals:', '  - { name: alice, roles: [ops] }', '  - { name: bob, roles: [ops] }',
      'cli:', '  users: { alice-login: alice, bob-login: bob }', '',
    ].join('\n'));
  });

  it('alice cannot approve from a shell what she requested; bob can', async () => {
    const asAlice = { USER: 'alice-login' };
    const requested = await cli(['--config', config, '--json', 'run', 'look'], { env: asAlice });
    const run = JSON.parse(requested.stdout) as { id: string; state: string; requestedBy: string };
    expect(run).toMatchObject({ state: 'pending_approval', requestedBy: 'alice' });

    const self = await cli(['--config', config, 'approve', run.id], { env: asAlice });
    expect(self.code).toBe(2);
    expect(self.stderr).toMatch(/E_FORBIDDEN.*alice requested run/);

    const other = await cli(['--config', config, '--json', 'approve', run.id], { env: { USER: 'bob-login' } });
    expect(JSON.parse(other.stdout).state).not.toBe('pending_approval');
  });

  it('an unmapped login is the local operator', async () => {
    const r = await cli(['--config', config, '--json', 'run', 'look'], { env: { USER: 'someone-else' } });
    expect(JSON.parse(r.stdout)).toMatchObject({ requestedBy: 'cli:someone-else' });
  });
});
