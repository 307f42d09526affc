import { buttonId } from './discord-interaction.js';
import type { ChatResult } from './perform.js';
import { finishText, pendingRunId, renderResult, SLACK_MARKUP } from './render-text.js';

export interface SlackMessage {
  response_type: 'ephemeral' | 'in_channel';
  text: string;
  blocks?: unknown[];
  replace_original?: boolean;
}

/**
 * A result as a Slack message (Block Kit). `text` doubles as the notification fallback, so it is
 * the same redacted text as the section.
 */
export function slackMessage(result: ChatResult, redact: (t: string) => string, visibility: SlackMessage['response_type']): SlackMessage {
  const text = finishText(renderResult(result, SLACK_MARKUP), SLACK_MARKUP, redact);
  const blocks: unknown[] = [{ type: 'section', text: { type: 'mrkdwn', text } }];
  const pending = pendingRunId(result);
  if (pending) {
    blocks.push({
      type: 'actions',
      block_id: 'oresi_approval',
      elements: [
        { type: 'button', text: { type: 'plain_text', text: 'Approve' }, style: 'primary', action_id: buttonId('approve', pending), value: pending },
        { type: 'button', text: { type: 'plain_text', text: 'Deny' }, style: 'danger', action_id: buttonId('deny', pending), value: pending },
      ],
    });
  }
  return { response_type: visibility, text, blocks };
}

export function slackNotice(text: string, redact: (t: string) => string): SlackMessage {
  return { response_type: 'ephemeral', text: finishText(text, SLACK_MARKUP, redact) };
}
