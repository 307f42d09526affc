import { approveRun, denyRun } from '../commands/approvals.js';
import type { AppContext, Caller, RunView } from '../commands/types.js';

/**
 * Approve/Deny from a slash command or a button press. Whether this caller may approve, and
 * that a requester's own approval does not count, is decided by commands/approvals.ts.
 */
export function approveFromChat(ctx: AppContext, caller: Caller, runId: string, comment?: string): Promise<RunView> {
  return approveRun(ctx, caller, runId, comment ? { comment } : {});
}

export function denyFromChat(ctx: AppContext, caller: Caller, runId: string, reason?: string): Promise<RunView> {
  return denyRun(ctx, caller, runId, reason ? { reason } : {});
}
