import type { AlertEvent, Severity } from './events.js';
import { sendRequest } from './http-send.js';
import type { Sink, SinkDeps } from './sink-types.js';
import { truncateEnd, truncateStart } from './text.js';

/**
 * Discord "Execute Webhook" with embeds. Limits (Discord embed docs): title 256, description
 * 4096, 25 fields of name 256 / value 1024, footer 2048, 10 embeds and 6000 characters in all
 * embeds of one message. We send at most two embeds: the alert, then the log tail.
 */
export const DISCORD_LIMITS = { title: 256, description: 4096, fields: 25, fieldName: 256, fieldValue: 1024, footer: 2048, embeds: 10, total: 6000 } as const;

const COLOURS: Record<Severity, number> = { info: 0x2ecc71, warning: 0xf1c40f, critical: 0xe74c3c };
const RECOVERED_COLOUR = 0x3498db;

export interface DiscordOptions {
  name: string;
  url: string;
  timeoutMs: number;
  username?: string | undefined;
}

interface Embed {
  title: string;
  description?: string;
  color: number;
  fields?: Array<{ name: string; value: string; inline: boolean }>;
  timestamp?: string;
  footer?: { text: string };
}

export function buildDiscordPayload(event: AlertEvent, username?: string): Record<string, unknown> {
  const main: Embed = {
    title: truncateEnd(event.title, DISCORD_LIMITS.title),
    description: truncateEnd(event.text, DISCORD_LIMITS.description),
    color: event.recovered ? RECOVERED_COLOUR : COLOURS[event.severity],
    fields: Object.entries(event.fields ?? {}).slice(0, DISCORD_LIMITS.fields).map(([name, value]) => ({
      name: truncateEnd(name, DISCORD_LIMITS.fieldName) || '-',
      // Discord rejects empty field values.
      value: truncateEnd(value, DISCORD_LIMITS.fieldValue) || '-',
      inline: value.length <= 40,
    })),
    footer: { text: truncateEnd(`oresi · ${event.kind}`, DISCORD_LIMITS.footer) },
  };
  if (isIsoDate(event.at)) main.timestamp = event.at;
  const embeds: Embed[] = [fitTotal(main)];
  const used = embedChars(embeds[0] as Embed);
  if (event.logExcerpt) {
    // What is left of the 6000-character budget, minus the title and code fence.
    const title = 'Log (end)';
    const room = Math.min(DISCORD_LIMITS.description, DISCORD_LIMITS.total - used - title.length) - 8;
    if (room > 50) {
      embeds.push({ title, description: '```\n' + truncateStart(escapeFence(event.logExcerpt), room) + '\n```', color: main.color });
    }
  }
  return {
    ...(username !== undefined ? { username } : {}),
    // Alert text comes from logs and callers: it must never ping @everyone or a role.
    allowed_mentions: { parse: [] },
    embeds,
  };
}

export function createDiscordSink(opts: DiscordOptions, deps: SinkDeps): Sink {
  return {
    name: opts.name,
    type: 'discord',
    send: (event) => sendRequest(deps, {
      method: 'POST',
      url: opts.url,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(buildDiscordPayload(event, opts.username)),
    }, opts.timeoutMs),
  };
}

function embedChars(e: Embed): number {
  return e.title.length + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0)
    + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
}

/** Shortens the description, then drops fields from the end, until the embed fits the total. */
function fitTotal(e: Embed): Embed {
  const over = embedChars(e) - DISCORD_LIMITS.total;
  if (over <= 0) return e;
  const description = e.description ?? '';
  const fitted: Embed = { ...e, description: truncateEnd(description, Math.max(0, description.length - over)) };
  while (embedChars(fitted) > DISCORD_LIMITS.total && fitted.fields && fitted.fields.length > 0) fitted.fields = fitted.fields.slice(0, -1);
  return fitted;
}

/** A ``` inside the log would close the code block early. */
function escapeFence(text: string): string {
  return text.replace(/```/g, '`\u200b``');
}

function isIsoDate(s: string): boolean {
  return !Number.isNaN(Date.parse(s));
}
