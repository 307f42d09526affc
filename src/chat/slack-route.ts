import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Caller, RunView } from '../model.js';
import { AppError } from '../errors.js';
import { parseCommandText, type ChatCommand } from './chat-command.js';
import { auditReceived, callerFor, MUTATING_VERBS, refuseSignature, type ChatDeps } from './chat-deps.js';
import type { SlackChatConfig } from '../config/chat-schema.js';
import { commandFromButton } from './discord-interaction.js';
import { followRun } from './follow-run.js';
import { performChatCommand } from './perform.js';
import { createSlackResponder, type SlackResponder } from './slack-api.js';
import { parseSlackForm } from './slack-payload.js';
import { slackMessage, slackNotice } from './slack-render.js';
import { verifySlackSignature } from './verify-signature.js';

/** response_url accepts replies for 30 minutes. */
const FOLLOW_MAX_MS = 29 * 60_000;

function resolveSecret(cfg: SlackChatConfig, env: Readonly<Record<string, string | undefined>>): string {
  const secret = env[cfg.signingSecretEnv];
  if (!secret) throw new AppError('E_CONFIG_INVALID', `chat.slack: the ${cfg.signingSecretEnv} environment variable (the app's signing secret) is not set`);
  return secret;
}

interface Work {
  deps: ChatDeps;
  slack: SlackResponder;
  caller: Caller;
  request: FastifyRequest;
  redact: (t: string) => string;
  responseUrl: string;
  received: Record<string, unknown>;
}

/** POST /v1/chat/slack: the slash command Request URL and the Interactivity Request URL. */
export function registerSlackRoute(scope: FastifyInstance, deps: ChatDeps, cfg: SlackChatConfig): void {
  const { ctx } = deps;
  const secret = resolveSecret(cfg, ctx.sys.env);
  const slack = createSlackResponder({ fetch: ctx.sys.fetch, logger: ctx.logger, origins: cfg.responseUrlOrigins });
  const redact = (t: string) => ctx.redactor.redact(t);
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  scope.post('/v1/chat/slack', { config: { signedBody: 'slack' }, schema: { hide: true } }, async (request) => {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const header = (name: string) => { const v = request.headers[name]; return typeof v === 'string' ? v : undefined; };
    const signature = header('x-slack-signature');
    const check = verifySlackSignature(secret, { signature, timestamp: header('x-slack-request-timestamp') }, raw, ctx.sys.now(), deps.chat.maxSkewSeconds);
    if (!check.ok) return refuseSignature(deps, request, 'slack', check);
    const parsed = parseSlackForm(raw);
    if (!parsed) throw new AppError('E_BAD_REQUEST', 'the body is neither a slash command nor an interactivity payload');
    if (parsed.kind === 'other') return { response_type: 'ephemeral', text: `oresi does not handle ${parsed.type} payloads` };
    const body = parsed.body;
    const command = parsed.kind === 'command' ? parseCommandText(parsed.body.text) : commandFromButton(parsed.body.actions[0]?.action_id);
    // trigger_id is unique per user action; the signature covers bodies without one. Either way a
    // byte-identical replay maps to the same claim (invariant 5), durable for what changes state.
    if (!deps.replays.claim(`slack:${body.trigger_id ?? signature}`, command.ok && MUTATING_VERBS.has(command.value.verb))) {
      request.log.warn('slack request replayed; ignored');
      return slackNotice('this request was already handled; nothing ran again', redact);
    }
    const userId = parsed.kind === 'command' ? parsed.body.user_id : parsed.body.user.id;
    const received = { source: 'slack', kind: parsed.kind, userId };
    const match = deps.identities.slack(userId);
    if (!match.ok) {
      deps.background.start('slack audit', () => auditReceived(deps, request, { ...received, refused: match.reason }));
      return slackNotice(`not allowed: ${match.message}`, redact);
    }
    if (!command.ok) return slackNotice(command.message, redact);
    if (!slack.allowed(body.response_url)) {
      request.log.warn('slack response_url outside chat.slack.responseUrlOrigins');
      return slackNotice('oresi cannot reply to this workspace (chat.slack.responseUrlOrigins); nothing ran', redact);
    }
    const w: Work = { deps, slack, caller: callerFor(match.principal, request), request, redact, responseUrl: body.response_url, received };
    return parsed.kind === 'command' ? handleCommand(w, command.value) : handleButton(w, command.value);
  });
}

function handleCommand(w: Work, cmd: ChatCommand) {
  w.deps.background.start('slack command', async () => {
    await auditReceived(w.deps, w.request, { ...w.received, verb: cmd.verb }, w.caller.principal.name);
    const result = await performChatCommand(w.deps.ctx, w.caller, cmd);
    const visibility = MUTATING_VERBS.has(cmd.verb) && result.kind !== 'error' ? 'in_channel' : 'ephemeral';
    await w.slack.post(w.responseUrl, slackMessage(result, w.redact, visibility));
    if (result.kind === 'run' && visibility === 'in_channel') await followAndReplace(w, result.run);
  });
  // Slack wants an answer within 3 s; the result follows on response_url.
  return slackNotice(`working on \`${cmd.verb}\`…`, w.redact);
}

function handleButton(w: Work, cmd: ChatCommand) {
  w.deps.background.start('slack button', async () => {
    await auditReceived(w.deps, w.request, { ...w.received, verb: cmd.verb, button: true }, w.caller.principal.name);
    const result = await performChatCommand(w.deps.ctx, w.caller, cmd);
    if (result.kind === 'error') {
      // The buttons stay for someone who may press them; only the presser hears why not.
      await w.slack.post(w.responseUrl, { ...slackNotice(`${w.caller.principal.name}: ${result.message} (${result.code})`, w.redact), replace_original: false });
      return;
    }
    await w.slack.post(w.responseUrl, { ...slackMessage(result, w.redact, 'in_channel'), replace_original: true });
    if (result.kind === 'run') await followAndReplace(w, result.run);
  });
  // An empty 200 acknowledges a button press; the message is updated through response_url.
  return '';
}

function followAndReplace(w: Work, run: RunView) {
  const publish = async (view: RunView) => {
    await w.slack.post(w.responseUrl, { ...slackMessage({ kind: 'run', verb: 'status', run: view }, w.redact, 'in_channel'), replace_original: true });
  };
  return followRun(w.deps.ctx, w.caller, run, publish, { progressMs: w.deps.progressMs, maxMs: FOLLOW_MAX_MS });
}
