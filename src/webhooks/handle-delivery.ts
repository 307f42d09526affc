import type { RunState } from '../model.js';
import { toRunView } from '../commands/run-view.js';
import { requestRun } from '../commands/runs.js';
import { reloadFromDisk } from '../commands/reload.js';
import type { AppContext } from '../commands/types.js';
import type { Caller } from '../model.js';
import { isAppError } from '../errors.js';
import type { DeliveryStore } from './delivery-store.js';
import { pullFastForward, type PullResult } from '../exec/git-pull.js';
import { decideDelivery, type Decision, type PushInfo } from './push-event.js';
import type { ProviderConfig, WebhookProvider } from '../config/webhook-schema.js';

export interface DeliveryDeps {
  ctx: AppContext;
  provider: WebhookProvider;
  cfg: ProviderConfig;
  store: DeliveryStore;
  repoDir: string;
  gitTimeoutMs: number;
  /** Runs pulls of the work tree one at a time. */
  serial: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Keeps the background run chain visible to shutdown and tests. */
  track: (work: Promise<unknown>) => void;
}

export interface DeliveryRequest {
  event: string;
  deliveryId: string;
  payload: unknown;
  ip: string;
  requestId: string;
}

export type DeliveryReply =
  | { status: 'ignored' | 'duplicate' | 'refused'; reason: string }
  | { status: 'accepted'; commit: string; changed: boolean; intents: string[] };

export type RunOutcome =
  | { intent: string; runId: string; state: RunState }
  | { intent: string; refused: string; reason: string };

export function webhookCaller(ctx: AppContext, provider: WebhookProvider, cfg: ProviderConfig, ip: string, requestId: string): Caller {
  const role = ctx.config.roles[cfg.role];
  return {
    principal: { name: `webhook:${provider}`, roleNames: role ? [cfg.role] : [], roles: role ? [role] : [], via: 'webhook' },
    ip,
    source: 'webhook',
    requestId,
  };
}

/**
 * A verified delivery: decide, claim its id (at most once), audit it, and only then act —
 * fast-forward the stacks repository and request the configured intents, one after another,
 * in the background (providers give up on a reply after ~10 s; runs take longer).
 */
export async function handleDelivery(deps: DeliveryDeps, req: DeliveryRequest): Promise<DeliveryReply> {
  const { ctx, provider, cfg } = deps;
  const decision = decideDelivery(cfg, req.event, req.payload);
  const claim = claimDelivery(deps, req, decision);
  const first = claim.first;
  const outcome = !first ? 'duplicate' : decision.act ? 'accepted' : 'ignored';
  const reason = !first ? claim.reason : decision.act ? null : decision.reason;
  const release = () => {
    if (!first) return;
    deps.store.release(provider, req.deliveryId);
    if (decision.act) deps.store.releasePush({ provider, ...decision.push });
  };
  try {
    await ctx.audit.append({
      type: 'webhook.received',
      actor: `webhook:${provider}`,
      ip: req.ip,
      data: ctx.redactor.redactValue({ provider, delivery: req.deliveryId, event: req.event.slice(0, 40), ...pushFields(decision.push), outcome, reason, requestId: req.requestId }),
    });
  } catch (err) {
    // Nothing acts unlogged; forget the claim so the provider's retry can act.
    release();
    throw err;
  }
  if (!first || !decision.act) return { status: outcome as 'duplicate' | 'ignored', reason: reason ?? '' };

  const push = decision.push;
  const pull = await deps.serial(() => pullFastForward({ sys: ctx.sys, dir: deps.repoDir, branch: cfg.branch, expectCommit: push.after, timeoutMs: deps.gitTimeoutMs }));
  if (!pull.ok) {
    const why = ctx.redactor.redact(pull.reason);
    ctx.logger.warn({ provider, delivery: req.deliveryId, reason: why }, 'webhook: pull refused, nothing run');
    await recordProcessed(ctx, provider, req, pull, []);
    // Nothing acted, so the id is free again: after fixing the checkout, the provider's
    // "Redeliver" (which reuses the id) deploys instead of being answered as a duplicate.
    release();
    return { status: 'refused', reason: why };
  }
  // The pull may have changed compose files, intents and .env secrets: the runs below must
  // plan from (and redact with) what was just pulled.
  if (pull.changed) await reloadFromDisk(ctx, `webhook ${provider} delivery ${req.deliveryId}`);
  else await ctx.stacks.refresh(0);
  deps.track(runIntents(deps, req, push, pull));
  return { status: 'accepted', commit: pull.after, changed: pull.changed, intents: [...cfg.intents] };
}

/**
 * At most once per delivery id and, for a push that acts, at most once per pushed commit
 * (provider, repository, ref, `after`), whatever the delivery id.
 */
function claimDelivery(deps: DeliveryDeps, req: DeliveryRequest, decision: Decision): { first: true } | { first: false; reason: string } {
  const now = deps.ctx.sys.now();
  if (!deps.store.claim(deps.provider, req.deliveryId, now)) {
    return { first: false, reason: `delivery ${req.deliveryId} was already received; it acts at most once` };
  }
  if (!decision.act) return { first: true };
  const { repo, ref, after } = decision.push;
  const holder = deps.store.claimPush({ provider: deps.provider, repo, ref, after }, req.deliveryId, now);
  if (holder === null) return { first: true };
  return { first: false, reason: `commit ${after.slice(0, 12)} on ${ref} of ${repo} was already handled (delivery ${holder}); a push acts at most once` };
}

/** In order; a refusal or a run that does not succeed stops the rest (they may depend on it). */
async function runIntents(deps: DeliveryDeps, req: DeliveryRequest, push: PushInfo, pull: PullResult & { ok: true }): Promise<RunOutcome[]> {
  const { ctx, provider, cfg } = deps;
  const caller = webhookCaller(ctx, provider, cfg, req.ip, req.requestId);
  const outcomes: RunOutcome[] = [];
  for (const intent of cfg.intents) {
    try {
      const view = await requestRun(ctx, caller, { intent, reason: `push of ${push.after.slice(0, 12)} to ${cfg.repo}@${cfg.branch} (${provider} delivery ${req.deliveryId})` });
      const active = ctx.active.get(view.id);
      const done = active ? await active.done.catch(() => null) : null;
      const row = done ? null : ctx.audit.getRun(view.id);
      const state = done?.state ?? (row ? toRunView(row).state : view.state);
      outcomes.push({ intent, runId: view.id, state });
      if (state !== 'succeeded') break;
    } catch (err) {
      outcomes.push({ intent, refused: isAppError(err) ? err.code : 'E_INTERNAL', reason: ctx.redactor.redact(err instanceof Error ? err.message : String(err)) });
      ctx.logger.warn({ provider, delivery: req.deliveryId, intent, err: String(err) }, 'webhook: run refused');
      break;
    }
  }
  await recordProcessed(ctx, provider, req, pull, outcomes);
  return outcomes;
}

async function recordProcessed(ctx: AppContext, provider: WebhookProvider, req: DeliveryRequest, pull: PullResult, runs: RunOutcome[]): Promise<void> {
  // Best effort: what it records already happened, and each run has its own audit trail.
  await ctx.audit.append({
    type: 'webhook.processed',
    actor: `webhook:${provider}`,
    ip: req.ip,
    data: ctx.redactor.redactValue({ provider, delivery: req.deliveryId, pull, runs }),
  }).catch((err: unknown) => ctx.logger.warn({ provider, delivery: req.deliveryId, err: String(err) }, 'webhook: could not audit the outcome'));
}

function pushFields(push: PushInfo | undefined): Record<string, string> {
  return push ? { repo: push.repo, ref: push.ref, after: push.after } : {};
}
