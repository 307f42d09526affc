import { approveRun, denyRun } from '../commands/approve.js';
import type { AppContext } from '../commands/types.js';
import type { Caller, RunView } from '../model.js';

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
