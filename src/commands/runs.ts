import type { RunRow, RunState } from '../model.js';
import { AppError } from '../errors.js';
import { acquireStacks } from '../exec/locks.js';
import { alertFromSecurity } from '../notify/events.js';
import type { Plan } from '../plan/types.js';
import { canAccess, requireAccess } from './access.js';
import { checkGates, type GateOutcome } from './approvals.js';
import { executeRun } from './execute-run.js';
import { findIntent, intentActions, intentStack } from './intents.js';
import { buildPlan, planTarget } from './plan.js';
import { pendingSteps, toRunView } from './run-view.js';
import type { AppContext } from './types.js';
import type { Caller, RunRequest, RunView } from '../model.js';

const TERMINAL: ReadonlySet<RunState> = new Set(['succeeded', 'failed', 'rolled_back', 'timed_out', 'cancelled', 'interrupted', 'rejected', 'denied', 'expired']);

export function isTerminal(state: RunState): boolean {
  return TERMINAL.has(state);
}

export async function auditRejection(ctx: AppContext, caller: Caller, intent: string, err: unknown): Promise<void> {
  if (!(err instanceof AppError)) return;
  ctx.observer.runRejected?.(intent, err.code);
  // Best effort: a refusal must not become a 503 because the audit store is down.
  await ctx.audit.append({
    type: 'run.rejected',
    actor: caller.principal.name,
    ip: caller.ip,
    data: { intent, source: caller.source, code: err.code, message: ctx.redactor.redact(err.message) },
  }).catch(() => undefined);
}

/**
 * The one way anything runs: plan, authorise, check the gates, then either wait for
 * approvals or take the stack lock, commit the audit records, and only then spawn.
 */
export async function requestRun(ctx: AppContext, caller: Caller, req: RunRequest): Promise<RunView> {
  let plan: Plan;
  let gates: GateOutcome;
  try {
    const li = findIntent(ctx, req.intent);
    requireAccess(ctx, caller, 'run', { intent: li.intent.name, stacks: [intentStack(li)].filter((s) => s !== '*'), actions: intentActions(li) });
    plan = await buildPlan(ctx, req);
    requireAccess(ctx, caller, 'run', planTarget(plan));
    gates = await checkGates(ctx, caller, li, { ...(req.pr ? { pr: req.pr } : {}), ...(req.breakGlass ? { breakGlass: true } : {}) });
  } catch (err) {
    await auditRejection(ctx, caller, req.intent, err);
    throw err;
  }
  return startPlannedRun(ctx, caller, plan, req, gates);
}

/**
 * The shared tail of every run request, once planned, authorised and gated: wait for approvals,
 * or take the stack lock, commit the audit records, and only then launch. Ad-hoc rollouts
 * (commands/rollout.ts) come in here too, so they are locked and audited the same way.
 */
export async function startPlannedRun(ctx: AppContext, caller: Caller, plan: Plan, req: RunRequest, gates: GateOutcome): Promise<RunView> {
  const runId = ctx.sys.newId();
  if (gates.quorum > 0) {
    const row = await recordRequest(ctx, caller, req, plan, runId, gates, 'pending_approval');
    ctx.observer.runPending?.(toRunView(row));
    return toRunView(row);
  }
  const lock = acquireStacks(ctx.locks, planTarget(plan).stacks, runId);
  if (!lock.acquired) {
    const err = new AppError('E_STACK_BUSY', `stack ${plan.stack} is busy with run ${lock.holder}; try again when it finishes`, { holder: lock.holder });
    await auditRejection(ctx, caller, req.intent, err);
    throw err;
  }
  let row: RunRow;
  try {
    row = await recordRequest(ctx, caller, req, plan, runId, gates, 'running');
    await recordStart(ctx, row, plan, caller);
  } catch (err) {
    lock.release();
    throw err instanceof AppError ? err : new AppError('E_AUDIT_UNAVAILABLE', `could not record the run: ${String(err)}`);
  }
  return launch(ctx, row, plan, lock.release, req.waitMs);
}

/** Starts the execution in the background; with waitMs, answers when it ends (or the wait does). */
export function launch(ctx: AppContext, row: RunRow, plan: Plan, release: () => void, waitMs?: number): Promise<RunView> {
  const controller = new AbortController();
  const done = executeRun(ctx, row, plan, controller.signal).finally(() => {
    release();
    ctx.active.delete(row.id);
  });
  ctx.active.set(row.id, { controller, done });
  const started = toRunView({ ...row, state: 'running' });
  ctx.observer.runStarted?.(started);
  if (waitMs && waitMs > 0) return waitFor(ctx, row.id, done, waitMs);
  return Promise.resolve(started);
}

async function recordRequest(ctx: AppContext, caller: Caller, req: RunRequest, plan: Plan, runId: string, gates: GateOutcome, state: RunState): Promise<RunRow> {
  const now = new Date(ctx.sys.now()).toISOString();
  const reason = req.reason ? ctx.redactor.redact(req.reason.slice(0, 500)) : null;
  const row: RunRow = {
    id: runId,
    intent: plan.intent,
    stack: plan.stack,
    state,
    requestedBy: caller.principal.name,
    source: caller.source,
    reason,
    params: plan.params,
    planHash: plan.hash,
    plan: ctx.redactor.redactValue(plan),
    steps: pendingSteps(plan),
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
  };
  const who = { runId, actor: caller.principal.name, ip: caller.ip };
  await ctx.audit.append({
    ...who,
    type: 'run.requested',
    data: {
      intent: plan.intent, stack: plan.stack, params: plan.params, planHash: plan.hash, reason, source: caller.source,
      requestId: caller.requestId ?? null, via: caller.principal.via, keyId: caller.principal.keyId ?? null,
      quorum: gates.quorum, breakGlass: gates.breakGlass, pr: req.pr ?? null,
      evidence: ctx.redactor.redactValue(gates.evidence), approvals: gates.notes,
    },
  });
  await ctx.audit.insertRun(row);
  if (gates.breakGlass) {
    ctx.logger.warn({ runId, actor: caller.principal.name, intent: plan.intent }, 'BREAK-GLASS run requested outside its change window');
    await ctx.audit.append({ ...who, type: 'security.event', data: { event: 'break_glass', intent: plan.intent, notes: gates.notes } });
    ctx.alerts.notify(alertFromSecurity({
      key: `break_glass:${plan.intent}`, severity: 'critical', stack: plan.stack, at: now,
      title: `Break-glass requested: ${plan.intent} on ${plan.stack}`,
      text: `${caller.principal.name} asked to run ${plan.intent} outside its change window. ${gates.notes.join(' ')}`,
    }));
  }
  if (state === 'pending_approval') {
    await ctx.audit.append({ ...who, type: 'approval.requested', data: { quorum: gates.quorum, planHash: plan.hash } });
  }
  return row;
}

/** Invariant 1: committed before the first spawn; any failure here is a 503 and nothing runs. */
export async function recordStart(ctx: AppContext, row: RunRow, plan: Plan, caller: Caller): Promise<void> {
  await ctx.audit.append({ runId: row.id, actor: caller.principal.name, ip: caller.ip, type: 'run.started', data: { planHash: plan.hash, plan: ctx.redactor.redactValue(plan) } });
  if (row.state !== 'running') await ctx.audit.updateRun(row.id, { state: 'running' });
}

export async function waitFor(ctx: AppContext, runId: string, done: Promise<RunView>, waitMs: number): Promise<RunView> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), waitMs); });
  const finished = await Promise.race([done, timeout]);
  clearTimeout(timer);
  if (finished) return finished;
  const row = ctx.audit.getRun(runId);
  if (!row) throw new AppError('E_INTERNAL', `run ${runId} vanished from the store`);
  return toRunView(row);
}

function readableRun(ctx: AppContext, caller: Caller, row: RunRow): boolean {
  return canAccess(ctx, caller, 'read', { intent: row.intent, stacks: [row.stack], actions: [] });
}

export function getRunRow(ctx: AppContext, caller: Caller, id: string): RunRow {
  const row = ctx.audit.getRun(id);
  // An unreadable run is reported as missing, so ids of other people's runs do not leak.
  if (!row || !readableRun(ctx, caller, row)) throw new AppError('E_NOT_FOUND', `no run with id ${JSON.stringify(id.slice(0, 64))}`);
  return row;
}

export function getRun(ctx: AppContext, caller: Caller, id: string): RunView {
  return toRunView(getRunRow(ctx, caller, id));
}

export function listRuns(
  ctx: AppContext,
  caller: Caller,
  q: { state?: RunState; intent?: string; stack?: string; limit: number; cursor?: string },
): { runs: RunView[]; nextCursor: string | null } {
  const page = ctx.audit.listRuns(q);
  return { runs: page.runs.filter((r) => readableRun(ctx, caller, r)).map(toRunView), nextCursor: page.nextCursor };
}

export async function cancelRun(ctx: AppContext, caller: Caller, id: string, waitMs = 30_000): Promise<RunView> {
  return ctx.runMutex(id, async () => {
    const view = getRun(ctx, caller, id);
    requireAccess(ctx, caller, 'run', { intent: view.intent, stacks: [view.stack], actions: [] });
    if (isTerminal(view.state)) throw new AppError('E_CONFLICT', `run ${id} already ended (${view.state}); nothing to cancel`);
    await ctx.audit.append({ type: 'run.cancel_requested', runId: id, actor: caller.principal.name, ip: caller.ip, data: { state: view.state } });
    if (view.state === 'pending_approval') {
      const finishedAt = new Date(ctx.sys.now()).toISOString();
      await ctx.audit.append({ type: 'run.finished', runId: id, actor: caller.principal.name, ip: caller.ip, data: { state: 'cancelled', error: null } });
      await ctx.audit.updateRun(id, { state: 'cancelled', finishedAt });
      return { ...view, state: 'cancelled', finishedAt };
    }
    const active = ctx.active.get(id);
    if (!active) throw new AppError('E_CONFLICT', `run ${id} is ${view.state} but not executing in this process`);
    active.controller.abort();
    return waitFor(ctx, id, active.done, waitMs);
  });
}
