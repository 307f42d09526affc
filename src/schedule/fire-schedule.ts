import type { RunState } from '../model.js';
import { requestRun } from '../commands/runs.js';
import { toRunView } from '../commands/run-view.js';
import type { AppContext } from '../commands/types.js';
import type { Caller, RunView } from '../model.js';
import { isAppError } from '../errors.js';
import { createFiringPinger, type FiringPinger } from './healthchecks-ping.js';
import type { ScheduleEntry } from '../config/schedule-schema.js';

export type FiringResult =
  | { schedule: string; outcome: 'ran'; runId: string; state: RunState }
  /** requestRun refused (busy stack, forbidden, audit down); requestRun audited it as run.rejected. */
  | { schedule: string; outcome: 'skipped'; code: string; reason: string };

export function scheduleCaller(ctx: AppContext, entry: ScheduleEntry, firingId: string): Caller {
  const name = `schedule:${entry.name}`;
  const role = entry.role !== undefined ? ctx.config.roles[entry.role] : undefined;
  const principal = entry.role !== undefined && role
    ? { name, roleNames: [entry.role], roles: [role], via: 'schedule' as const }
    : { name, roleNames: [], roles: [], via: 'schedule' as const, admin: true };
  return { principal, source: 'schedule', requestId: firingId };
}

/**
 * One firing: ping /start, request the run through the one path, wait for it, ping the outcome.
 * A busy stack is not waited for: the run is skipped (overlap would stack up work) and the
 * refusal is already in the audit trail as run.rejected with code E_STACK_BUSY.
 */
export async function fireSchedule(
  ctx: AppContext,
  entry: ScheduleEntry,
  opts: { minuteIso: string; pingUrl?: string },
): Promise<FiringResult> {
  const firingId = `${entry.name}@${opts.minuteIso}`;
  const pinger = opts.pingUrl ? createFiringPinger(opts.pingUrl, entry, ctx.sys.newId(), { fetch: ctx.sys.fetch, now: ctx.sys.now, redactValue: (v) => ctx.redactor.redactValue(v) }) : null;
  await ping(ctx, entry, pinger?.start());
  let view: RunView;
  try {
    view = await requestRun(ctx, scheduleCaller(ctx, entry, firingId), {
      intent: entry.intent,
      params: entry.params ?? {},
      reason: `schedule ${entry.name} (${entry.cron}) at ${opts.minuteIso}`,
    });
  } catch (err) {
    const code = isAppError(err) ? err.code : 'E_INTERNAL';
    const reason = ctx.redactor.redact(err instanceof Error ? err.message : String(err));
    ctx.logger.warn({ schedule: entry.name, intent: entry.intent, code, reason }, code === 'E_STACK_BUSY' ? 'scheduled run skipped: stack busy' : 'scheduled run refused');
    await ping(ctx, entry, pinger?.notRun(`Skipped (${code}): ${reason}`));
    return { schedule: entry.name, outcome: 'skipped', code, reason };
  }
  const active = ctx.active.get(view.id);
  // A run that already ended has left ctx.active; its row holds the final state.
  const final = active ? await active.done.catch(() => latestView(ctx, view)) : latestView(ctx, view);
  await ping(ctx, entry, pinger?.finished(final));
  return { schedule: entry.name, outcome: 'ran', runId: final.id, state: final.state };
}

function latestView(ctx: AppContext, view: RunView): RunView {
  const row = ctx.audit.getRun(view.id);
  return row ? toRunView(row) : view;
}

async function ping(ctx: AppContext, entry: ScheduleEntry, sent: ReturnType<FiringPinger['start']> | undefined): Promise<void> {
  if (!sent) return;
  const result = await sent;
  // A failed ping never blocks the run: Healthchecks notices the missing ping by itself.
  if (!result.ok) ctx.logger.warn({ schedule: entry.name, reason: result.reason }, 'healthchecks ping failed');
}
