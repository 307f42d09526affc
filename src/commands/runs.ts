import type { RunRow, RunState } from '../audit/types.js';
import { AppError } from '../errors.js';
import { acquireStacks } from '../exec/locks.js';
import type { Plan } from '../plan/types.js';
import { canAccess, requireAccess } from './access.js';
import { approvalNotes } from './approvals.js';
import { intentActions, intentStack, findIntent } from './intents.js';
import { buildPlan, planTarget } from './plan.js';
import { pendingSteps, toRunView } from './run-view.js';
import { executeRun } from './execute-run.js';
import type { AppContext, Caller, RunRequest, RunView } from './types.js';

const TERMINAL: ReadonlySet<RunState> = new Set(['succeeded', 'failed', 'rolled_back', 'timed_out', 'cancelled', 'interrupted', 'rejected', 'denied', 'expired']);

export function isTerminal(state: RunState): boolean {
  return TERMINAL.has(state);
}

async function auditRejection(ctx: AppContext, caller: Caller, intent: string, err: unknown): Promise<void> {
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
 * The one way anything runs: plan, authorise, check approvals, take the stack lock, commit the
 * audit records, and only then spawn. Each refusal is an AppError with a stable code.
 */
export async function requestRun(ctx: AppContext, caller: Caller, req: RunRequest): Promise<RunView> {
  let plan: Plan;
  let notes: string[];
  try {
    const li = findIntent(ctx, req.intent);
    requireAccess(ctx, caller, 'run', { intent: li.intent.name, stacks: [intentStack(li)].filter((s) => s !== '*'), actions: intentActions(li) });
    plan = await buildPlan(ctx, req);
    requireAccess(ctx, caller, 'run', planTarget(plan));
    notes = approvalNotes(ctx, li);
  } catch (err) {
    await auditRejection(ctx, caller, req.intent, err);
    throw err;
  }
  const runId = ctx.sys.newId();
  const lock = acquireStacks(ctx.locks, planTarget(plan).stacks, runId);
  if (!lock.acquired) {
    const err = new AppError('E_STACK_BUSY', `stack ${plan.stack} is busy with run ${lock.holder}; try again when it finishes`, { holder: lock.holder });
    await auditRejection(ctx, caller, req.intent, err);
    throw err;
  }
  let row: RunRow;
  try {
    row = await recordStart(ctx, caller, req, plan, runId, notes);
  } catch (err) {
    lock.release();
    throw err instanceof AppError ? err : new AppError('E_AUDIT_UNAVAILABLE', `could not record the run: ${String(err)}`);
  }
  const controller = new AbortController();
  const done = executeRun(ctx, row, plan, controller.signal).finally(() => {
    lock.release();
    ctx.active.delete(runId);
  });
  ctx.active.set(runId, { controller, done });
  if (req.waitMs && req.waitMs > 0) return waitFor(ctx, runId, done, req.waitMs);
  return toRunView(row);
}

async function recordStart(ctx: AppContext, caller: Caller, req: RunRequest, plan: Plan, runId: string, notes: string[]): Promise<RunRow> {
  const now = new Date(ctx.sys.now()).toISOString();
  const reason = req.reason ? ctx.redactor.redact(req.reason.slice(0, 500)) : null;
  const row: RunRow = {
    id: runId,
    intent: plan.intent,
    stack: plan.stack,
    state: 'running',
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
  // Invariant 1: these records are committed before the first spawn; any failure here is a 503.
  await ctx.audit.append({
    ...who,
    type: 'run.requested',
    data: { intent: plan.intent, stack: plan.stack, params: plan.params, reason, source: caller.source, requestId: caller.requestId ?? null, via: caller.principal.via, keyId: caller.principal.keyId ?? null, approvals: notes },
  });
  await ctx.audit.insertRun(row);
  await ctx.audit.append({ ...who, type: 'run.started', data: { planHash: plan.hash, plan: ctx.redactor.redactValue(plan) } });
  return row;
}

async function waitFor(ctx: AppContext, runId: string, done: Promise<RunView>, waitMs: number): Promise<RunView> {
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

export function getRun(ctx: AppContext, caller: Caller, id: string): RunView {
  const row = ctx.audit.getRun(id);
  // An unreadable run is reported as missing, so ids of other people's runs do not leak.
  if (!row || !readableRun(ctx, caller, row)) throw new AppError('E_NOT_FOUND', `no run with id ${JSON.stringify(id.slice(0, 64))}`);
  return toRunView(row);
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
  const view = getRun(ctx, caller, id);
  requireAccess(ctx, caller, 'run', { intent: view.intent, stacks: [view.stack], actions: [] });
  if (isTerminal(view.state)) throw new AppError('E_CONFLICT', `run ${id} already ended (${view.state}); nothing to cancel`);
  const active = ctx.active.get(id);
  if (!active) throw new AppError('E_CONFLICT', `run ${id} is ${view.state} but not executing in this process`);
  await ctx.audit.append({ type: 'run.cancel_requested', runId: id, actor: caller.principal.name, ip: caller.ip, data: {} });
  active.controller.abort();
  return waitFor(ctx, id, active.done, waitMs);
}
