import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Caller } from '../model.js';
import { AppError } from '../errors.js';
import type { ChatCommand } from './chat-command.js';
import { auditReceived, callerFor, MUTATING_VERBS, refuseSignature, type ChatDeps } from './chat-deps.js';
import type { DiscordChatConfig } from '../config/chat-schema.js';
import { createDiscordFollowUp, type DiscordFollowUp } from './discord-api.js';
import { commandFromButton, commandFromInteraction, EPHEMERAL, Interaction, interactionUser, InteractionType, ResponseType } from './discord-interaction.js';
import { discordMessage, discordNotice } from './discord-render.js';
import { followRun } from './follow-run.js';
import { performChatCommand } from './perform.js';
import { discordPublicKey, verifyDiscordSignature } from './verify-signature.js';

/** Interaction tokens last 15 minutes; stop editing the message a little before that. */
const FOLLOW_MAX_MS = 14 * 60_000;

function resolvePublicKey(cfg: DiscordChatConfig, env: Readonly<Record<string, string | undefined>>) {
  const hex = cfg.publicKey ?? env[cfg.publicKeyEnv];
  if (!hex) throw new AppError('E_CONFIG_INVALID', `chat.discord: no public key; set chat.discord.publicKey or the ${cfg.publicKeyEnv} environment variable`);
  try {
    return discordPublicKey(hex.trim());
  } catch (err) {
    throw new AppError('E_CONFIG_INVALID', `chat.discord public key: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const ephemeral = (text: string, redact: (t: string) => string) => ({ type: ResponseType.CHANNEL_MESSAGE, data: discordNotice(text, redact, true) });

/** POST /v1/chat/discord: the application's Interactions Endpoint URL. */
export function registerDiscordRoute(scope: FastifyInstance, deps: ChatDeps, cfg: DiscordChatConfig): void {
  const { ctx } = deps;
  const key = resolvePublicKey(cfg, ctx.sys.env);
  const api = createDiscordFollowUp({ fetch: ctx.sys.fetch, apiUrl: cfg.apiUrl, logger: ctx.logger });
  const redact = (t: string) => ctx.redactor.redact(t);
  // Signatures are over the exact bytes Discord sent, so the body stays a Buffer until verified.
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  scope.post('/v1/chat/discord', { config: { signedBody: 'discord' }, schema: { hide: true } }, async (request) => {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const header = (name: string) => { const v = request.headers[name]; return typeof v === 'string' ? v : undefined; };
    const check = verifyDiscordSignature(key, { signature: header('x-signature-ed25519'), timestamp: header('x-signature-timestamp') }, raw, ctx.sys.now(), deps.chat.maxSkewSeconds);
    if (!check.ok) return refuseSignature(deps, request, 'discord', check);
    const interaction = parseInteraction(raw);
    if (interaction.type === InteractionType.PING) return { type: ResponseType.PONG };
    const button = interaction.type === InteractionType.MESSAGE_COMPONENT;
    if (!button && interaction.type !== InteractionType.APPLICATION_COMMAND) throw new AppError('E_BAD_REQUEST', `interaction type ${interaction.type} is not handled`);
    const parsed = button ? commandFromButton(interaction.data?.custom_id) : commandFromInteraction(interaction.data);
    // Claimed before anything runs: a replay finds the claim (invariant 5). Only what can change
    // state needs the durable (fsync'd) claim; a replayed read could only repeat an answer.
    if (!deps.replays.claim(`discord:${interaction.id}`, parsed.ok && MUTATING_VERBS.has(parsed.value.verb))) {
      request.log.warn({ interaction: interaction.id }, 'discord interaction replayed; ignored');
      return ephemeral('this interaction was already handled; nothing ran again', redact);
    }
    const user = interactionUser(interaction);
    const match = user ? deps.identities.discord(user.id, user.roles) : undefined;
    const received = { source: 'discord', interactionId: interaction.id, interactionType: interaction.type, userId: user?.id ?? null };
    if (!match?.ok) {
      deps.background.start('discord audit', () => auditReceived(deps, request, { ...received, refused: match?.reason ?? 'unmapped' }));
      return ephemeral(`not allowed: ${match?.message ?? 'no user in this interaction'}`, redact);
    }
    if (!parsed.ok) return ephemeral(parsed.message, redact);
    const work = { deps, api, caller: callerFor(match.principal, request), interaction, request, redact, received };
    return button ? handleButton(work, parsed.value) : handleCommand(work, parsed.value);
  });
}

function parseInteraction(raw: Buffer): Interaction {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AppError('E_BAD_REQUEST', 'the request body is not valid JSON');
  }
  const parsed = Interaction.safeParse(json);
  if (!parsed.success) throw new AppError('E_BAD_REQUEST', 'the body is not a Discord interaction');
  return parsed.data;
}

interface Work {
  deps: ChatDeps;
  api: DiscordFollowUp;
  caller: Caller;
  interaction: Interaction;
  request: FastifyRequest;
  redact: (t: string) => string;
  received: Record<string, unknown>;
}

function handleCommand(w: Work, cmd: ChatCommand) {
  const { token, application_id: appId } = w.interaction;
  if (!token) throw new AppError('E_BAD_REQUEST', 'the interaction has no token');
  w.deps.background.start('discord command', async () => {
    await auditReceived(w.deps, w.request, { ...w.received, verb: cmd.verb }, w.caller.principal.name);
    const result = await performChatCommand(w.deps.ctx, w.caller, cmd);
    await w.api.editOriginal(appId, token, discordMessage(result, w.redact));
    if (result.kind === 'run') await followAndEdit(w, appId, token, result.run);
  });
  // Deferred: Discord shows "thinking…" and the real answer replaces it (within 3 s rule).
  return MUTATING_VERBS.has(cmd.verb) ? { type: ResponseType.DEFERRED_CHANNEL_MESSAGE } : { type: ResponseType.DEFERRED_CHANNEL_MESSAGE, data: { flags: EPHEMERAL } };
}

function handleButton(w: Work, cmd: ChatCommand) {
  const { token, application_id: appId } = w.interaction;
  if (!token) throw new AppError('E_BAD_REQUEST', 'the interaction has no token');
  w.deps.background.start('discord button', async () => {
    await auditReceived(w.deps, w.request, { ...w.received, verb: cmd.verb, button: true }, w.caller.principal.name);
    const result = await performChatCommand(w.deps.ctx, w.caller, cmd);
    if (result.kind === 'error') {
      // The buttons stay for someone who may press them; only the presser hears why not.
      await w.api.send(appId, token, discordNotice(`${w.caller.principal.name}: ${result.message} (${result.code})`, w.redact, true));
      return;
    }
    await w.api.editOriginal(appId, token, discordMessage(result, w.redact));
    if (result.kind === 'run') await followAndEdit(w, appId, token, result.run);
  });
  return { type: ResponseType.DEFERRED_UPDATE_MESSAGE };
}

function followAndEdit(w: Work, appId: string, token: string, run: Parameters<typeof followRun>[2]) {
  const publish = async (view: typeof run) => { await w.api.editOriginal(appId, token, discordMessage({ kind: 'run', verb: 'status', run: view }, w.redact)); };
  return followRun(w.deps.ctx, w.caller, run, publish, { progressMs: w.deps.progressMs, maxMs: FOLLOW_MAX_MS });
}
