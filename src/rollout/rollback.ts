import { AppError } from '../errors.js';
import { checkServices } from './argv.js';
import { restorePoint } from './restore.js';
import type { RollbackPoint } from './rollback-point.js';
import type { CommandLimits, HealthOptions, RestoreReport, RolloutContext, RolloutStep } from './types.js';

export type RollbackOutcome = 'rolled_back' | 'rollback_failed' | 'failed' | 'cancelled';

export interface PerformRollbackArgs extends RolloutContext {
  options: HealthOptions & CommandLimits & { services?: string[] };
  /** A rollout id of this stack; default: the newest rollback point. */
  to?: string;
}

export interface RollbackResult {
  stack: string;
  outcome: RollbackOutcome;
  reason?: string;
  /** The point rolled back to; null when there was none. */
  point: RollbackPoint | null;
  steps: RolloutStep[];
  restore: RestoreReport | null;
  durationMs: number;
}

/**
 * Manual rollback to a recorded point, with the same override, health wait and image-id check as
 * the automatic one. An unknown `to` is an error (the caller named it); a stack with no points at
 * all is an outcome (`failed`). It records no new point: rolling back again moves nothing further.
 */
export async function performRollback(args: PerformRollbackArgs): Promise<RollbackResult> {
  const { facts, sys, store } = args;
  const t0 = sys.monotonic();
  const scope = checkServices(facts, args.options.services);
  const done = (outcome: RollbackOutcome, point: RollbackPoint | null, fields: Partial<RollbackResult> = {}): RollbackResult => ({
    stack: facts.name, outcome, point, steps: [], restore: null, durationMs: sys.monotonic() - t0, ...fields,
  });

  let point: RollbackPoint | null;
  if (args.to !== undefined) {
    point = await store.load(facts.name, args.to);
    if (!point) throw new AppError('E_NOT_FOUND', `Stack ${facts.name} has no rollback point ${args.to}.`);
  } else {
    point = (await store.list(facts.name)).points[0] ?? null;
    if (!point) return done('failed', null, { reason: `stack ${facts.name} has no rollback point yet` });
  }
  const restorable = point.services.filter((s) => scope === undefined || scope.includes(s.service));
  if (restorable.length === 0) {
    return done('failed', point, { reason: `rollback point ${point.id} records none of the requested services` });
  }
  if (args.signal?.aborted) return done('cancelled', point, { reason: 'cancelled before anything ran' });

  const restore = await restorePoint(args, args.options, point, scope);
  const cancelled = restore.steps.some((s) => s.result?.cancelled) || restore.report.health?.cancelled === true;
  const outcome: RollbackOutcome = restore.report.verified ? 'rolled_back' : cancelled ? 'cancelled' : 'rollback_failed';
  return done(outcome, point, {
    steps: restore.steps,
    restore: restore.report,
    ...(restore.reason === undefined ? {} : { reason: restore.reason }),
  });
}
