import { z } from 'zod';

/** The form fields of a slash command that oresi reads (Slack sends more). */
export const SlashCommand = z.object({
  command: z.string().max(64),
  text: z.string().max(4000).default(''),
  user_id: z.string().max(32),
  response_url: z.string().max(2000),
  trigger_id: z.string().max(200).optional(),
});
export type SlashCommand = z.infer<typeof SlashCommand>;

/** `payload=` JSON of an interactivity request; only button presses (block_actions) are handled. */
export const BlockActions = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: z.string().max(32) }),
  response_url: z.string().max(2000),
  trigger_id: z.string().max(200).optional(),
  actions: z.array(z.object({ action_id: z.string().max(255), value: z.string().max(2000).optional() })).min(1).max(25),
});
export type BlockActions = z.infer<typeof BlockActions>;

export type SlackRequest = { kind: 'command'; body: SlashCommand } | { kind: 'actions'; body: BlockActions } | { kind: 'other'; type: string };

/** The form body, already authenticated: a slash command, or an interactivity payload. */
export function parseSlackForm(raw: Buffer): SlackRequest | undefined {
  const form = new URLSearchParams(raw.toString('utf8'));
  // Slack checks the certificate of a new Request URL with a signed ssl_check POST; 200 is all it needs.
  if (form.get('ssl_check') === '1') return { kind: 'other', type: 'ssl_check' };
  const payload = form.get('payload');
  if (payload !== null) {
    let json: unknown;
    try {
      json = JSON.parse(payload);
    } catch {
      return undefined;
    }
    const actions = BlockActions.safeParse(json);
    if (actions.success) return { kind: 'actions', body: actions.data };
    const type = (json as { type?: unknown } | null)?.type;
    return { kind: 'other', type: typeof type === 'string' ? type.slice(0, 40) : 'unknown' };
  }
  const cmd = SlashCommand.safeParse(Object.fromEntries(form));
  return cmd.success ? { kind: 'command', body: cmd.data } : undefined;
}
