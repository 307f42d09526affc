import type { AuditEvent } from '../audit/types.js';
import type { RunRow } from '../model.js';
import { AppError } from '../errors.js';
import { acquireStacks } from '../exec/locks.js';
import { requireAccess } from './access.js';
import { buildPlan, planTarget } from './plan.js';
import { toRunView } from './run-view.js';
import { getRunRow, launch, recordStart } from './runs.js';
import type { AppContext } from './types.js';
import type { Caller, RunView } from '../model.js';

/** Distinct principals whose approval of this exact plan is still valid (the requester never counts). */
export function validApprovers(events: readonly AuditEvent[], row: RunRow, nowMs: number, ttlSeconds: number): string[] {
  const approvers = new Set<string>();
  for (const e of events) {
    if (e.type !== 'approval.granted' || !e.actor || e.actor === row.requestedBy) continue;
    if ((e.data as { planHash?: unknown }).planHash !== row.planHash) continue;
    if (nowMs - Date.parse(e.ts) > ttlSeconds * 1000) continue;
    approvers.add(e.actor);
  }
  return [...approvers].sort();
}

function requiredQuorum(events: readonly AuditEvent[]): number {
  const requested = events.find((e) => e.type === 'run.requested');
  const q = (requested?.data as { quorum?: unknown } | undefined)?.quorum;
  return typeof q === 'number' ? q : 0;
}

async function endPending(ctx: AppContext, row: RunRow, caller: Caller, state: 'expired' | 'denied', why: string): Promise<RunView> {
  const finishedAt = new Date(ctx.sys.now()).toISOString();
  await ctx.audit.append({ type: 'run.finished', runId: row.id, actor: caller.principal.name, ip: caller.ip, data: { state, error: why } });
  await ctx.audit.updateRun(row.id, { state, finishedAt });
  return { ...toRunView(row), state, finishedAt, updatedAt: finishedAt };
}

function pendingRow(ctx: AppContext, caller: Caller, id: string): RunRow {
  const row = getRunRow(ctx, caller, id);
  requireAccess(ctx, caller, 'approve', { intent: row.intent, stacks: [row.stack], actions: [] });
  if (row.state !== 'pending_approval') throw new AppError('E_CONFLICT', `run ${id} is ${row.state}; only runs waiting for approval can be approved or denied`);
  return row;
}

/**
 * Records an approval. When the run reaches its quorum, the plan is built again and must
 * hash to what was approved (a changed compose file means a different plan: new approvals);
 * then the run starts like any other. Serialised per run, so racing approvals start it once.
 */
export async function approveRun(ctx: AppContext, caller: Caller, id: string, opts: { comment?: string; waitMs?: number } = {}): Promise<RunView> {
  return ctx.runMutex(id, async () => {
    const row = pendingRow(ctx, caller, id);
    const now = ctx.sys.now();
    const cfg = ctx.config.approvals;
    if (now - Date.parse(row.createdAt) > cfg.pendingTtlSeconds * 1000) {
      await endPending(ctx, row, caller, 'expired', `no quorum within ${cfg.pendingTtlSeconds}s`);
      throw new AppError('E_CONFLICT', `run ${id} waited longer than ${cfg.pendingTtlSeconds}s for approvals and has expired; request it again`);
    }
    if (caller.principal.name === row.requestedBy) {
      throw new AppError('E_FORBIDDEN', `${caller.principal.name} requested run ${id} and cannot approve it; someone else must`);
    }
    await ctx.audit.append({
      type: 'approval.granted', runId: id, actor: caller.principal.name, ip: caller.ip,
      data: { planHash: row.planHash, via: caller.principal.via, comment: opts.comment ? ctx.redactor.redact(opts.comment.slice(0, 500)) : null },
    });
    const events = ctx.audit.list({ runId: id, limit: 10_000 });
    const approvers = validApprovers(events, row, now, cfg.ttlSeconds);
    const quorum = requiredQuorum(events);
    if (approvers.length < quorum) return toRunView(row);

    const plan = await buildPlan(ctx, { intent: row.intent, params: row.params });
    if (plan.hash !== row.planHash) {
      await endPending(ctx, row, caller, 'expired', 'the plan changed after the approvals were given');
      throw new AppError('E_CONFLICT', `the plan of run ${id} changed since it was requested (was the compose file edited?); approvals were for the old plan, so request the run again`);
    }
    const lock = acquireStacks(ctx.locks, planTarget(plan).stacks, id);
    if (!lock.acquired) {
      throw new AppError('E_STACK_BUSY', `run ${id} is approved by ${approvers.join(', ')} but stack ${plan.stack} is busy with run ${lock.holder}; approve again to start it once that ends`);
    }
    try {
      await ctx.audit.updateRun(id, { state: 'approved' });
      await recordStart(ctx, { ...row, state: 'approved' }, plan, caller);
    } catch (err) {
      lock.release();
      throw err;
    }
    return launch(ctx, { ...row, state: 'running' }, plan, lock.release, opts.waitMs);
  });
}

/** A denial from anyone allowed to approve ends the run. */
export async function denyRun(ctx: AppContext, caller: Caller, id: string, opts: { reason?: string } = {}): Promise<RunView> {
  return ctx.runMutex(id, async () => {
    const row = pendingRow(ctx, caller, id);
    const reason = opts.reason ? ctx.redactor.redact(opts.reason.slice(0, 500)) : null;
    await ctx.audit.append({ type: 'approval.denied', runId: id, actor: caller.principal.name, ip: caller.ip, data: { planHash: row.planHash, reason } });
    return endPending(ctx, row, caller, 'denied', `denied by ${caller.principal.name}${reason ? `: ${reason}` : ''}`);
  });
}

/** Pending runs past their time are expired (called periodically by the server). */
export async function expirePendingRuns(ctx: AppContext): Promise<string[]> {
  const cutoff = ctx.sys.now() - ctx.config.approvals.pendingTtlSeconds * 1000;
  const system: Caller = { principal: { name: 'system', roleNames: [], roles: [], via: 'schedule', admin: true }, source: 'schedule' };
  const expired: string[] = [];
  for (const row of ctx.audit.listRuns({ state: 'pending_approval', limit: 200 }).runs) {
    if (Date.parse(row.createdAt) > cutoff) continue;
    await ctx.runMutex(row.id, async () => {
      const current = ctx.audit.getRun(row.id);
      if (current?.state !== 'pending_approval') return;
      await endPending(ctx, current, system, 'expired', 'no quorum in time');
      expired.push(row.id);
    });
  }
  return expired;
}
