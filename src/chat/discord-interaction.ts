import { z } from 'zod';
import { checkRolloutId, checkRunId, checkStackName, parseParams, type ChatCommand, type Parsed } from './chat-command.js';

/**
 * The parts of a Discord interaction oresi reads. Not strict: Discord adds fields over time, and
 * the body is already authenticated by its signature when this runs.
 */
export const InteractionType = { PING: 1, APPLICATION_COMMAND: 2, MESSAGE_COMPONENT: 3 } as const;
export const ResponseType = { PONG: 1, CHANNEL_MESSAGE: 4, DEFERRED_CHANNEL_MESSAGE: 5, DEFERRED_UPDATE_MESSAGE: 6, UPDATE_MESSAGE: 7 } as const;
export const EPHEMERAL = 1 << 6;

const Snowflake = z.string().regex(/^[0-9]{1,25}$/);
const User = z.object({ id: Snowflake, username: z.string().max(100).optional() });
const Value = z.union([z.string().max(2000), z.number(), z.boolean()]);
const Leaf = z.object({ name: z.string().max(32), type: z.number().int(), value: Value.optional() });
const Sub = z.object({ name: z.string().max(32), type: z.number().int(), options: z.array(Leaf).max(25).optional() });

export const Interaction = z.object({
  id: Snowflake,
  application_id: Snowflake,
  type: z.number().int(),
  token: z.string().min(1).max(1000).optional(),
  data: z.object({
    name: z.string().max(32).optional(),
    options: z.array(Sub).max(25).optional(),
    custom_id: z.string().max(100).optional(),
  }).optional(),
  member: z.object({ user: User, roles: z.array(Snowflake).max(250).default([]) }).optional(),
  user: User.optional(),
});
export type Interaction = z.infer<typeof Interaction>;

/** Guild interactions name the user under member, DMs under user. */
export function interactionUser(i: Interaction): { id: string; roles: string[] } | undefined {
  if (i.member) return { id: i.member.user.id, roles: i.member.roles };
  return i.user ? { id: i.user.id, roles: [] } : undefined;
}

const fail = (message: string): { ok: false; message: string } => ({ ok: false, message });

/** `/oresi <subcommand> [options]` → ChatCommand. */
export function commandFromInteraction(data: Interaction['data']): Parsed<ChatCommand> {
  if (data?.name !== 'oresi') return fail(`unknown command ${JSON.stringify(data?.name ?? '')}; run \`oresi discord register\` again`);
  const sub = data.options?.[0];
  if (!sub || sub.type !== 1) return fail('use one of the /oresi subcommands');
  const opts = new Map((sub.options ?? []).map((o) => [o.name, o.value === undefined ? undefined : String(o.value)]));
  const text = (name: string) => { const v = opts.get(name); return v ? { [name]: v } : {}; };
  switch (sub.name) {
    case 'help':
    case 'intents':
    case 'runs':
      return { ok: true, value: { verb: sub.name } };
    case 'plan':
    case 'run': {
      const intent = opts.get('intent');
      if (!intent) return fail('the intent option is required');
      const params = parseParams(opts.get('params'));
      if (!params.ok) return params;
      if (sub.name === 'plan') return { ok: true, value: { verb: 'plan', intent, params: params.value } };
      return { ok: true, value: { verb: 'run', intent, params: params.value, ...text('reason'), ...text('pr') } };
    }
    case 'status':
    case 'cancel':
    case 'approve':
    case 'deny': {
      const id = checkRunId(opts.get('run'));
      if (!id.ok) return id;
      if (sub.name === 'approve') return { ok: true, value: { verb: 'approve', runId: id.value, ...text('comment') } };
      if (sub.name === 'deny') return { ok: true, value: { verb: 'deny', runId: id.value, ...text('reason') } };
      return { ok: true, value: { verb: sub.name, runId: id.value } };
    }
    case 'rollout':
    case 'rollback': {
      const stack = checkStackName(opts.get('stack'));
      if (!stack.ok) return stack;
      // Booleans arrive as JSON booleans; absent means the default (pull, no dry run).
      if (sub.name === 'rollout') return { ok: true, value: { verb: 'rollout', stack: stack.value, pull: opts.get('pull') !== 'false', dryRun: opts.get('dry_run') === 'true', ...text('reason') } };
      const rawTo = opts.get('to');
      if (rawTo === undefined || rawTo === '') return { ok: true, value: { verb: 'rollback', stack: stack.value, ...text('reason') } };
      const to = checkRolloutId(rawTo);
      if (!to.ok) return to;
      return { ok: true, value: { verb: 'rollback', stack: stack.value, to: to.value, ...text('reason') } };
    }
    default:
      return fail(`unknown subcommand ${JSON.stringify(sub.name)}; run \`oresi discord register\` again`);
  }
}

const BUTTON = /^oresi:(approve|deny):([A-Za-z0-9-]{1,64})$/;

/** Approve/Deny buttons carry `oresi:<verb>:<run id>`; the same ids serve as Slack action_ids. */
export function commandFromButton(customId: string | undefined): Parsed<ChatCommand> {
  const m = BUTTON.exec(customId ?? '');
  if (!m?.[1] || !m[2]) return fail('this button is not one of oresi\'s');
  return { ok: true, value: m[1] === 'approve' ? { verb: 'approve', runId: m[2] } : { verb: 'deny', runId: m[2] } };
}

export const buttonId = (verb: 'approve' | 'deny', runId: string) => `oresi:${verb}:${runId}`;
