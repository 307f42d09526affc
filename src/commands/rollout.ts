import { AppError } from '../errors.js';
import { isValidName } from '../intent/names.js';
import { planRollback, planRollout, ROLLBACK_INTENT, ROLLOUT_INTENT } from '../plan/plan-rollout.js';
import type { Plan } from '../plan/types.js';
import { checkChangeWindows } from '../policy/windows.js';
import { createFileRollbackStore } from '../rollout/file-store.js';
import { rolloutMany, type ManyResult } from '../rollout/many.js';
import { pullFastForward } from '../exec/git-pull.js';
import { performRollout } from '../rollout/rollout.js';
import type { DryRunResult } from '../rollout/types.js';
import { canAccess, requireAccess } from './access.js';
import type { GateOutcome } from './approvals.js';
import { auditRejection, startPlannedRun } from './runs.js';
import type { AppContext } from './types.js';
import type { Caller, RunView } from '../model.js';

const SYNC_TIMEOUT_MS = 60_000;

export interface RolloutRequest {
  /** Stack names, or every stack the caller may roll out. */
  stacks: readonly string[] | 'all';
  /** Default true. */
  pull?: boolean;
  /** First `git pull --ff-only` the stacks repository (refused on a dirty tree or divergence). */
  sync?: boolean;
  services?: readonly string[];
  /** Show what would change; runs nothing and audits nothing. */
  dryRun?: boolean;
  /**
   * Per stack: wait for its run to end, at most this long (ms). With several stacks and no
   * waitMs, each run is awaited to its end anyway, so no more than `rollout.concurrency` run at once.
   */
  waitMs?: number;
  reason?: string;
  healthTimeoutSeconds?: number;
  /** Called once per stack as its result is known (CLI progress lines). */
  onResult?: (result: StackRolloutResult) => void;
}

export type StackRolloutResult = ManyResult<RunView | DryRunResult>;

export interface RollbackRequest {
  stack: string;
  /** A rollout id of the stack; default: its newest rollback point. */
  to?: string;
  waitMs?: number;
  reason?: string;
}

/**
 * Ad-hoc rollouts, without an intent file (CLI, API, chat). Each stack becomes a plan with one
 * rollout step that goes through the same path as requestRun: RBAC (as intent `rollout`, action
 * `rollout`), the global approval requirements, the stack lock, the audit records, then
 * executeRun. Stacks run `rollout.concurrency` at a time; one stack's failure (busy, forbidden,
 * rolled back) is its own result, never the others'. Results come in the order of `stacks`.
 */
export async function requestRollout(ctx: AppContext, caller: Caller, req: RolloutRequest): Promise<StackRolloutResult[]> {
  const sync = req.sync === true && req.dryRun !== true;
  await ctx.stacks.refresh();
  let stacks = chooseStacks(ctx, caller, req.stacks, req.dryRun ? 'read' : 'run');
  if (sync) {
    // The pull changes the stacks root, so it is itself a mutation: it runs only once the caller
    // may roll out every stack named and the ad-hoc gates pass, exactly as each rollout will check.
    await authoriseSync(ctx, caller, stacks);
    await syncRepo(ctx, caller);
    await ctx.stacks.refresh(0);
    if (req.stacks === 'all') stacks = chooseStacks(ctx, caller, 'all', 'run');
  }
  const cfg = ctx.config.rollout;
  const one = async (stack: string): Promise<RunView | DryRunResult> => {
    let plan: Plan;
    try {
      plan = planRollout({
        stack, stacks: (n) => ctx.stacks.find(n), dialect: ctx.dialect ?? 'v2', pull: req.pull ?? true,
        healthTimeoutSeconds: req.healthTimeoutSeconds ?? cfg.healthTimeoutSeconds, timeoutSeconds: cfg.timeoutSeconds,
        ...(req.services ? { services: req.services } : {}),
      });
    } catch (err) {
      if (!req.dryRun) await auditRejection(ctx, caller, ROLLOUT_INTENT, err);
      throw err;
    }
    if (req.dryRun) return dryRun(ctx, caller, plan);
    const run = await startAdHoc(ctx, caller, plan, req);
    // Several stacks: a worker holds its slot until its run ends, so concurrency really bounds them.
    if (stacks.length > 1 && !req.waitMs) return (await ctx.active.get(run.id)?.done) ?? run;
    return run;
  };
  return rolloutMany(stacks, cfg.concurrency, async (stack) => {
    try {
      const value = await one(stack);
      req.onResult?.({ stack, ok: true, value });
      return value;
    } catch (error) {
      req.onResult?.({ stack, ok: false, error });
      throw error;
    }
  });
}

/** Refuses (audited) unless every stack may be rolled out by the caller without approvals. */
async function authoriseSync(ctx: AppContext, caller: Caller, stacks: readonly string[]): Promise<void> {
  try {
    requireAccess(ctx, caller, 'run', { intent: ROLLOUT_INTENT, stacks, actions: ['rollout'] });
    checkAdHocGates(ctx, caller);
  } catch (err) {
    await auditRejection(ctx, caller, ROLLOUT_INTENT, err);
    throw err;
  }
}

/**
 * `git pull --ff-only` in the stacks root before rolling out, each git command audited before
 * it spawns. Refusals (dirty tree, divergence, no repository) stop the rollout with the reason.
 */
async function syncRepo(ctx: AppContext, caller: Caller): Promise<void> {
  const who = { actor: caller.principal.name, ip: caller.ip };
  const result = await pullFastForward({
    sys: ctx.sys,
    dir: ctx.config.stacksRoot,
    timeoutMs: SYNC_TIMEOUT_MS,
    hooks: {
      beforeSpawn: async (argv, description) => { await ctx.audit.append({ ...who, type: 'step.command', data: { argv, description, phase: 'sync' } }); },
      afterSpawn: async (argv, r) => { await ctx.audit.append({ ...who, type: 'step.command', data: { argv, exitCode: r.exitCode, durationMs: Math.round(r.durationMs), phase: 'sync' } }); },
    },
  });
  if (!result.ok) throw new AppError('E_CONFLICT', `could not update the stacks repository: ${ctx.redactor.redact(result.reason)}; nothing was rolled out`);
}

/** A manual rollback to a recorded point, through the same run path as everything else. */
export async function requestRollback(ctx: AppContext, caller: Caller, req: RollbackRequest): Promise<RunView> {
  await ctx.stacks.refresh();
  const cfg = ctx.config.rollout;
  let plan: Plan;
  try {
    plan = planRollback({
      stack: req.stack, stacks: (n) => ctx.stacks.find(n), dialect: ctx.dialect ?? 'v2',
      healthTimeoutSeconds: cfg.healthTimeoutSeconds, timeoutSeconds: cfg.timeoutSeconds, ...(req.to === undefined ? {} : { to: req.to }),
    });
    requireAccess(ctx, caller, 'run', { intent: ROLLBACK_INTENT, stacks: [plan.stack], actions: ['rollback'] });
    // Refuse before anything is recorded when there is nothing to roll back to.
    const store = createFileRollbackStore(ctx.config.dataDir, ctx.sys.fs);
    const found = req.to === undefined ? (await store.list(plan.stack)).points[0] : await store.load(plan.stack, req.to);
    if (!found) {
      throw new AppError('E_NOT_FOUND', req.to === undefined
        ? `stack ${plan.stack} has no rollback point yet; one is recorded by each rollout`
        : `stack ${plan.stack} has no rollback point ${req.to}`);
    }
  } catch (err) {
    await auditRejection(ctx, caller, ROLLBACK_INTENT, err);
    throw err;
  }
  return startAdHoc(ctx, caller, plan, req);
}

async function startAdHoc(ctx: AppContext, caller: Caller, plan: Plan, req: { waitMs?: number; reason?: string }): Promise<RunView> {
  let gates: GateOutcome;
  try {
    const action = plan.intent === ROLLBACK_INTENT ? 'rollback' : 'rollout';
    requireAccess(ctx, caller, 'run', { intent: plan.intent, stacks: [plan.stack], actions: [action] });
    gates = checkAdHocGates(ctx, caller);
  } catch (err) {
    await auditRejection(ctx, caller, plan.intent, err);
    throw err;
  }
  return startPlannedRun(ctx, caller, plan, {
    intent: plan.intent, ...(req.waitMs ? { waitMs: req.waitMs } : {}), ...(req.reason ? { reason: req.reason } : {}),
  }, gates);
}

/**
 * The global requirements still apply without an intent. A run that needs approvals cannot be
 * ad-hoc (approval re-plans it from its intent file), so it is refused rather than let through.
 */
function checkAdHocGates(ctx: AppContext, caller: Caller): GateOutcome {
  const cfg = ctx.config.approvals;
  if (cfg.require?.windows) {
    const decision = checkChangeWindows([cfg.require.windows], ctx.sys.now(), cfg.timeZone);
    if (!decision.open) throw new AppError('E_APPROVAL_REQUIRED', `${decision.reason}; ad-hoc rollouts have no break-glass, use an intent with a rollout step`);
  }
  const quorum = Math.max(cfg.require?.quorum ?? 0, ...caller.principal.roles.map((r) => r.quorum ?? 0));
  if (quorum > 0) {
    throw new AppError('E_APPROVAL_REQUIRED', `this needs ${quorum} approval(s), and ad-hoc rollouts cannot wait for approvals; use an intent with a rollout step`);
  }
  return { quorum: 0, breakGlass: false, evidence: [{ gate: 'ad-hoc' }], notes: [] };
}

async function dryRun(ctx: AppContext, caller: Caller, plan: Plan): Promise<DryRunResult> {
  requireAccess(ctx, caller, 'read', { intent: ROLLOUT_INTENT, stacks: [plan.stack], actions: ['rollout'] });
  const step = plan.steps[0];
  const facts = ctx.stacks.find(plan.stack);
  if (!step?.rollout || !facts) throw new AppError('E_INTERNAL', `no rollout step planned for ${plan.stack}`);
  const result = await performRollout({
    sys: ctx.sys, engine: ctx.engine, facts, dialect: plan.dialect, env: ctx.childEnv,
    store: createFileRollbackStore(ctx.config.dataDir, ctx.sys.fs),
    // A dry run spawns nothing; were it to try, refusing is the safe answer.
    hooks: { beforeSpawn: async () => { throw new AppError('E_INTERNAL', 'a dry run must not spawn'); }, afterSpawn: async () => undefined },
    options: { dryRun: true, pull: step.rollout.pull, healthTimeoutMs: step.rollout.healthTimeoutMs, pollMs: 1000, ...(step.rollout.services ? { services: step.rollout.services } : {}) },
  });
  return ctx.redactor.redactValue(result as DryRunResult);
}

function chooseStacks(ctx: AppContext, caller: Caller, stacks: RolloutRequest['stacks'], mode: 'read' | 'run'): string[] {
  if (stacks === 'all') {
    const mine = ctx.stacks.list().map((s) => s.name)
      .filter((name) => canAccess(ctx, caller, mode, { intent: ROLLOUT_INTENT, stacks: [name], actions: ['rollout'] }));
    if (mine.length === 0) throw new AppError('E_FORBIDDEN', `${caller.principal.name} may roll out none of the stacks`);
    return mine;
  }
  if (stacks.length === 0) throw new AppError('E_BAD_REQUEST', 'name at least one stack, or all');
  if (stacks.length > 200) throw new AppError('E_BAD_REQUEST', 'at most 200 stacks per request');
  for (const s of stacks) {
    if (!isValidName(s)) throw new AppError('E_STACK_INVALID', `stack name ${JSON.stringify(String(s).slice(0, 64))} does not match ^[a-z0-9][a-z0-9_.-]{0,62}$`);
  }
  return [...stacks];
}
