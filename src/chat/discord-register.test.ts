import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingServer, type RecordingServer } from '../../test/stand-ins/discord.js';
import { putDiscordCommands } from './discord-register.js';

describe('putDiscordCommands', () => {
  let discord: RecordingServer;
  beforeAll(async () => { discord = await startRecordingServer((c) => c.body); });
  afterAll(async () => { await discord.close(); });

  const request = (over = {}) => ({ fetch, apiUrl: `${discord.url}/api/v10/`, applicationId: '123', botToken: 'bot-token-xyz', intentNames: ['up', 'down'], ...over });

  it('bulk-overwrites the application commands with /oresi, authenticated as the bot', async () => {
    discord.status = 200;
    const out = await putDiscordCommands(request());
    expect(out).toEqual({ ok: true, status: 200, subcommands: 11, choices: 2 });
    const call = discord.calls.at(-1);
    expect(call).toMatchObject({ method: 'PUT', path: '/api/v10/applications/123/commands' });
    expect(call?.headers.authorization).toBe('Bot bot-token-xyz');
    expect(call?.body).toHaveLength(1);
    expect(call?.body[0]).toMatchObject({ name: 'oresi', type: 1 });
  });

  it('registers in one guild when asked', async () => {
    await putDiscordCommands(request({ guildId: '77' }));
    expect(discord.calls.at(-1)?.path).toBe('/api/v10/applications/123/guilds/77/commands');
  });

  it('a refusal is data with Discord\'s message, never the token', async () => {
    discord.status = 401;
    const out = await putDiscordCommands(request());
    expect(out).toMatchObject({ ok: false, status: 401 });
    expect(JSON.stringify(out)).not.toContain('bot-token-xyz');
    discord.status = 200;
  });
});
