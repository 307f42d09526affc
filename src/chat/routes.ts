import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../commands/types.js';
import type { Config } from '../config/schema.js';
import { createBackground, type ChatDeps } from './chat-deps.js';
import { ChatConfig } from '../config/chat-schema.js';
import { registerDiscordRoute } from './discord-route.js';
import { createChatIdentities } from './identities.js';
import { createReplayGuard, createSeenStore } from './seen-store.js';
import { registerSlackRoute } from './slack-route.js';

export interface ChatRouteOptions {
  /** Defaults to `config.chat`. */
  chat?: ChatConfig;
  /** How often a running run's chat message is refreshed (default 2 s). */
  progressMs?: number;
  /** How long shutdown waits for follow-ups in flight (default 10 s). */
  drainMs?: number;
}

const SEEN_RETENTION_MS = 24 * 3_600_000;

/** `chat:` from a Config. */
export function chatConfigOf(config: Config): ChatConfig {
  return config.chat;
}

/**
 * POST /v1/chat/discord and /v1/chat/slack, each only when its `chat:` block is present. Each
 * lives in its own encapsulated plugin whose only content-type parser hands the handler the raw
 * bytes, so the signature is checked before anything is parsed. The global IP allowlist and the
 * per-IP rate limit still apply; the API-key guard does not (route config `signedBody`).
 * Problems (missing key or secret, a mapping to an unknown principal) throw before listening.
 */
export async function registerChatRoutes(app: FastifyInstance, ctx: AppContext, opts: ChatRouteOptions = {}): Promise<void> {
  const chat = opts.chat ?? chatConfigOf(ctx.config);
  if (!chat.discord && !chat.slack) return;
  const identities = createChatIdentities(ctx.config, chat);
  const retentionMs = Math.max(SEEN_RETENTION_MS, 4 * chat.maxSkewSeconds * 1000);
  const seen = createSeenStore({ path: join(ctx.config.dataDir, 'chat-seen.db'), now: ctx.sys.now, retentionMs });
  // In memory, read-only requests need only outlive the signature window (both directions).
  const replays = createReplayGuard(seen, { now: ctx.sys.now, ttlMs: 2 * chat.maxSkewSeconds * 1000 + 60_000 });
  const background = createBackground(ctx);
  const deps: ChatDeps = { ctx, chat, identities, replays, background, progressMs: opts.progressMs ?? 2_000 };
  app.addHook('onClose', async () => {
    await background.drain(opts.drainMs ?? 10_000);
    seen.close();
  });
  const { discord, slack } = chat;
  try {
    if (discord) await app.register(async (scope) => registerDiscordRoute(scope, deps, discord));
    if (slack) await app.register(async (scope) => registerSlackRoute(scope, deps, slack));
  } catch (err) {
    seen.close();
    throw err;
  }
}
