import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { startRecordingServer, type RecordingServer } from '../stand-ins/discord.js';

/** `oresi discord register` end to end: config file, intents folder, the Discord stand-in. */
const oresi = (args: string[], env: Record<string, string>) => cli(args, { env });

describe('oresi discord register', () => {
  let root: string;
  let discord: RecordingServer;
  let configFile: string;
  beforeAll(async () => {
    discord = await startRecordingServer((c) => c.body);
    root = await mkdtemp(join(tmpdir(), 'oresi-chat-cli-'));
    await mkdir(join(root, 'stacks', 'media'), { recursive: true });
    await writeFile(join(root, 'stacks', 'media', 'compose.yaml'), 'services:\n  web:\n    image: busybox\n');
    await mkdir(join(root, 'intents'));
    for (const name of ['media-up', 'media-status']) {
      await writeFile(join(root, 'intents', `${name}.yaml`), `apiVersion: oresi.dev/v1\nkind: Intent\nname: ${name}\nstack: media\nsteps:\n  - action: status\n`);
    }
    configFile = join(root, 'oresi.yaml');
    await writeFile(configFile, [
      `stacksRoot: ${join(root, 'stacks')}`, `intentsDir: ${join(root, 'intents')}`, `dataDir: ${join(root, 'data')}`,
      'chat:', '  discord:', '    applicationId: "123456"', `    apiUrl: ${discord.url}/api/v10`, '',
    ].join('\n'));
  });
  afterAll(async () => {
    await discord?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('--dry-run prints the command with the intents as choices and sends nothing', async () => {
    const out = await oresi(['--config', configFile, 'discord', 'register', '--dry-run'], {});
    expect(out.code).toBe(0);
    const [command] = JSON.parse(out.stdout) as Array<{ name: string; options: Array<{ name: string; options: Array<{ name: string; choices?: unknown[] }> }> }>;
    expect(command?.name).toBe('oresi');
    expect(command?.options.find((o) => o.name === 'run')?.options[0]?.choices).toEqual([{ name: 'media-status', value: 'media-status' }, { name: 'media-up', value: 'media-up' }]);
    expect(discord.calls).toHaveLength(0);
  });

  it('PUTs the commands with the bot token from the environment', async () => {
    const out = await oresi(['--config', configFile, 'discord', 'register'], { ORESI_DISCORD_BOT_TOKEN: 'bot-secret' });
    expect([out.code, out.stderr]).toEqual([0, '']);
    expect(out.stdout).toMatch(/registered \/oresi \(11 subcommands, 2 intent choices\) for application 123456/);
    expect(discord.calls.at(-1)).toMatchObject({ method: 'PUT', path: '/api/v10/applications/123456/commands' });
  });

  it('without the token it stops with a config error and sends nothing', async () => {
    const before = discord.calls.length;
    const out = await oresi(['--config', configFile, 'discord', 'register'], {});
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/ORESI_DISCORD_BOT_TOKEN/);
    expect(discord.calls.length).toBe(before);
  });

  it('a refusal by Discord exits 1 with its status', async () => {
    discord.status = 401;
    const out = await oresi(['--config', configFile, 'discord', 'register'], { ORESI_DISCORD_BOT_TOKEN: 'bot-secret' });
    discord.status = 200;
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/HTTP 401/);
    expect(out.stderr).not.toContain('bot-secret');
  });
});
