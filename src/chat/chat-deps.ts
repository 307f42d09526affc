import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../commands/types.js';
import type { Caller, Principal } from '../model.js';
import { AppError } from '../errors.js';
import type { ChatCommand } from './chat-command.js';
import type { ChatConfig } from '../config/chat-schema.js';
import type { ChatIdentities } from './identities.js';
import type { ReplayGuard } from './seen-store.js';
import type { SignatureCheck } from './verify-signature.js';

/** Work done after the platform got its quick answer; tracked so shutdown can wait for it. */
export interface Background {
  start(what: string, work: () => Promise<unknown>): void;
  /** Resolves when every started task has settled, or after timeoutMs. */
  drain(timeoutMs: number): Promise<void>;
  size(): number;
}

export function createBackground(ctx: AppContext): Background {
  const tasks = new Set<Promise<unknown>>();
  return {
    start(what, work) {
      // setImmediate: the acknowledgement is written to the socket before any of this runs
      // (audit writes are synchronous SQLite and would otherwise delay it).
      const task = new Promise<void>((resolve) => setImmediate(resolve))
        .then(work)
        .catch((err: unknown) => ctx.logger.error({ err: err instanceof Error ? err.message : String(err), what }, 'chat follow-up failed'))
        .finally(() => tasks.delete(task));
      tasks.add(task);
    },
    async drain(timeoutMs) {
      if (tasks.size === 0) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...tasks]), new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs); })]);
      clearTimeout(timer);
    },
    size: () => tasks.size,
  };
}

export interface ChatDeps {
  ctx: AppContext;
  chat: ChatConfig;
  identities: ChatIdentities;
  replays: ReplayGuard;
  background: Background;
  /** How often a running run's message is refreshed. */
  progressMs: number;
}

/**
 * Every bad signature gets the same 401 body; which check failed goes to the log and (at most
 * once per address per window) to the audit trail.
 */
export async function refuseSignature(deps: ChatDeps, request: FastifyRequest, platform: 'discord' | 'slack', check: SignatureCheck): Promise<never> {
  const reason = check.ok ? 'mismatch' : check.reason;
  request.log.warn({ platform, reason, ip: request.clientIp }, 'chat signature refused');
  await deps.ctx.security.authFailure({ ip: request.clientIp, via: platform, reason: `signature ${reason}`, requestId: request.id });
  throw new AppError('E_UNAUTHENTICATED', `missing, invalid or expired ${platform === 'discord' ? 'Discord' : 'Slack'} request signature`);
}

export function callerFor(principal: Principal, request: FastifyRequest): Caller {
  return { principal, ip: request.clientIp, source: 'chat', requestId: request.id };
}

/**
 * Verbs that change something; commands audit what they do, this records the chat request behind it.
 * A rollout dry run is counted too: the verb decides before its options are read, and a durable
 * claim on a request that turns out read-only costs one fsync, never a second run.
 */
export const MUTATING_VERBS: ReadonlySet<ChatCommand['verb']> = new Set(['run', 'approve', 'deny', 'cancel', 'rollout', 'rollback']);

/**
 * The trail of who asked what from chat: refused users and every mutating request (with the
 * platform's interaction id). Read-only requests are not recorded: they change nothing, and an
 * fsync per `/oresi runs` would cost every other request its latency. Best effort.
 */
export function auditReceived(deps: ChatDeps, request: FastifyRequest, data: Record<string, unknown> & { verb?: ChatCommand['verb'] }, actor?: string): Promise<unknown> {
  if (data.verb !== undefined && !MUTATING_VERBS.has(data.verb)) return Promise.resolve();
  return deps.ctx.audit.append({ type: 'webhook.received', actor, ip: request.clientIp, data: { ...deps.ctx.redactor.redactValue(data), requestId: request.id } })
    .catch(() => undefined);
}
