import type { AlertEvent, Severity } from './events.js';
import { sendRequest } from './http-send.js';
import type { Sink, SinkDeps } from './sink-types.js';
import { truncateEnd, truncateStart } from './text.js';

/**
 * Slack incoming webhook: `{text, blocks}`. `text` is the notification/fallback line; blocks carry
 * the detail. Limits (Block Kit docs): header 150, section text 3000, 10 section fields of 2000,
 * context element 3000, 50 blocks per message.
 */
export const SLACK_LIMITS = { header: 150, sectionText: 3000, fields: 10, fieldText: 2000, text: 3000, blocks: 50 } as const;

const ICONS: Record<Severity, string> = { info: ':large_green_circle:', warning: ':warning:', critical: ':red_circle:' };

export interface SlackOptions {
  name: string;
  url: string;
  timeoutMs: number;
}

/**
 * `&`, `<`, `>` are Slack markup: `<!channel>` in a log line would ping everyone. Escaping them
 * is all Slack asks for (its "Formatting text" docs).
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function buildSlackPayload(event: AlertEvent): Record<string, unknown> {
  const icon = event.recovered ? ':large_blue_circle:' : ICONS[event.severity];
  const blocks: Array<Record<string, unknown>> = [
    { type: 'header', text: { type: 'plain_text', text: truncateEnd(event.title, SLACK_LIMITS.header), emoji: true } },
  ];
  if (event.text.trim() !== '') {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: fitEscaped(event.text, SLACK_LIMITS.sectionText) } });
  }
  const fields = Object.entries(event.fields ?? {}).slice(0, SLACK_LIMITS.fields);
  if (fields.length > 0) {
    blocks.push({
      type: 'section',
      fields: fields.map(([k, v]) => ({ type: 'mrkdwn', text: fitEscaped(`*${k}*\n${v}`, SLACK_LIMITS.fieldText) })),
    });
  }
  if (event.logExcerpt) {
    const fence = 8; // "```\n" + "\n```"
    const log = truncateStart(escapeSlack(event.logExcerpt), SLACK_LIMITS.sectionText - fence);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: '```\n' + log + '\n```' } });
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: fitEscaped(`oresi · ${event.kind} · ${event.at}`, SLACK_LIMITS.sectionText) }] });
  return {
    text: fitEscaped(`${icon} ${event.title}`, SLACK_LIMITS.text),
    blocks: blocks.slice(0, SLACK_LIMITS.blocks),
  };
}

export function createSlackSink(opts: SlackOptions, deps: SinkDeps): Sink {
  return {
    name: opts.name,
    type: 'slack',
    send: (event) => sendRequest(deps, {
      method: 'POST',
      url: opts.url,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(buildSlackPayload(event)),
    }, opts.timeoutMs),
  };
}

/** Escape first, then cut, and never leave half an entity (`&am`) at the end. */
function fitEscaped(text: string, max: number): string {
  const escaped = escapeSlack(text);
  if (escaped.length <= max) return escaped;
  return truncateEnd(escaped, max).replace(/&[a-z]{0,3}…$/, '…');
}
