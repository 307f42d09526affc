import type { AuditEvent, Checkpoint, VerifyResult } from '../audit/types.js';
import { AppError } from '../errors.js';
import type { AppContext } from './types.js';
import type { Caller } from '../model.js';

function requireAuditAccess(caller: Caller): void {
  const p = caller.principal;
  if (p.admin || p.roles.some((r) => r.audit)) return;
  throw new AppError('E_FORBIDDEN', `${p.name} may not read the audit trail (no role with audit: true)`);
}

export function listAudit(
  ctx: AppContext,
  caller: Caller,
  q: { afterSeq?: number; limit: number; runId?: string },
): { events: AuditEvent[]; nextCursor: number | null } {
  requireAuditAccess(caller);
  const limit = Math.min(Math.max(q.limit, 1), 500);
  const events = ctx.audit.list({ limit, ...(q.afterSeq !== undefined ? { afterSeq: q.afterSeq } : {}), ...(q.runId ? { runId: q.runId } : {}) });
  const last = events.at(-1);
  return { events: ctx.redactor.redactValue(events), nextCursor: events.length === limit && last ? last.seq : null };
}

export function verifyAudit(ctx: AppContext, caller: Caller, checkpoint?: Checkpoint): VerifyResult {
  requireAuditAccess(caller);
  return ctx.audit.verify(checkpoint);
}
