import type { DiscordMessage } from './discord-api.js';
import { buttonId } from './discord-interaction.js';
import type { ChatResult } from './perform.js';
import { DISCORD_MARKUP, finishText, pendingRunId, renderResult } from './render-text.js';

const ACTION_ROW = 1;
const BUTTON = 2;
const SUCCESS = 3;
const DANGER = 4;

/** A result as a Discord message; a run waiting for approval gets Approve / Deny buttons. */
export function discordMessage(result: ChatResult, redact: (t: string) => string): DiscordMessage {
  const content = finishText(renderResult(result, DISCORD_MARKUP), DISCORD_MARKUP, redact);
  const pending = pendingRunId(result);
  // An empty list removes buttons from a message that had them (the run moved on).
  const components = pending
    ? [{ type: ACTION_ROW, components: [
      { type: BUTTON, style: SUCCESS, label: 'Approve', custom_id: buttonId('approve', pending) },
      { type: BUTTON, style: DANGER, label: 'Deny', custom_id: buttonId('deny', pending) },
    ] }]
    : [];
  return { content, components };
}

export function discordNotice(text: string, redact: (t: string) => string, ephemeral: boolean): DiscordMessage {
  return { content: finishText(text, DISCORD_MARKUP, redact), ...(ephemeral ? { flags: 1 << 6 } : {}) };
}
