import { buildDiscordCommand } from './discord-commands.js';

export interface RegisterRequest {
  fetch: typeof fetch;
  apiUrl: string;
  applicationId: string;
  botToken: string;
  intentNames: readonly string[];
  /** Register in one guild (instant) instead of globally. */
  guildId?: string;
}

export type RegisterOutcome =
  | { ok: true; status: number; subcommands: number; choices: number }
  | { ok: false; status: number; message: string };

/**
 * Bulk-overwrites the application's commands with `/oresi` (PUT replaces the whole set, so a
 * renamed subcommand does not linger). Discord's refusal is data, with its message.
 */
export async function putDiscordCommands(req: RegisterRequest): Promise<RegisterOutcome> {
  const command = buildDiscordCommand(req.intentNames);
  const base = `${req.apiUrl.replace(/\/+$/, '')}/applications/${req.applicationId}`;
  const url = req.guildId ? `${base}/guilds/${req.guildId}/commands` : `${base}/commands`;
  const res = await req.fetch(url, {
    method: 'PUT',
    headers: { authorization: `Bot ${req.botToken}`, 'content-type': 'application/json' },
    body: JSON.stringify([command]),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  if (!res.ok) return { ok: false, status: res.status, message: text.replaceAll(req.botToken, '[redacted]').slice(0, 500) };
  const choices = command.options.find((o) => o.name === 'run')?.options.find((o) => o.name === 'intent')?.choices?.length ?? 0;
  return { ok: true, status: res.status, subcommands: command.options.length, choices };
}
