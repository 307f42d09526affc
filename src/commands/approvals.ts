import { AppError } from '../errors.js';
import type { LoadedIntent } from '../intent/schema.js';
import type { AppContext } from './types.js';

/**
 * Checks the approval requirements an intent declares. Gates that this build cannot verify
 * fail closed, unless the operator explicitly chose otherwise in config; in that case the
 * returned notes say so and go into the run's audit record.
 */
export function approvalNotes(ctx: AppContext, li: LoadedIntent): string[] {
  const notes: string[] = [];
  const names = [...ctx.catalog.dependencyOrder(li.intent.name), li.intent.name];
  for (const name of names) {
    const approval = ctx.catalog.getIntent(name)?.intent.approval;
    if (!approval) continue;
    if (approval.quorum && approval.quorum > 0) {
      throw new AppError('E_APPROVAL_REQUIRED', `intent ${name} needs ${approval.quorum} approval(s) from other principals, and quorum approvals are not enabled on this server; the run was not started`);
    }
    if (approval.label) {
      if (ctx.config.approvals.unverifiedLabels !== 'allow') {
        throw new AppError('E_APPROVAL_REQUIRED', `intent ${name} requires the PR label "${approval.label}", and no PR verifier is configured to check it; the run was not started (set approvals.unverifiedLabels: allow to accept unverified labels, at your own risk)`);
      }
      notes.push(`label "${approval.label}" required by ${name} was NOT verified (approvals.unverifiedLabels: allow)`);
    }
  }
  return notes;
}
