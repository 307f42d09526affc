import { join } from 'node:path';
import type { AppContext } from './commands/types.js';
import { endOrphan, adoptOrphan, findOrphans, releaseOrphan, type OrphanRun } from './exec/orphans.js';
import type { StepView } from './model.js';

/**
 * Start-up recovery of processes that outlived a crashed oresi process: found before the
 * interrupted runs are marked (so their runs count as interrupted), then each is recorded
 * (`run.orphan_found`), ended by `recovery.orphans`, recorded again (`run.orphan_ended`) and only
 * then are its stack locks released. Until then a new run on those stacks gets E_STACK_BUSY.
 * Returns the orphans found and a function that starts ending them in the background.
 */
export function findStartupOrphans(ctx: AppContext): OrphanRun[] {
  return findOrphans(join(ctx.config.dataDir, 'locks'));
}

export async function recordOrphans(ctx: AppContext, orphans: OrphanRun[]): Promise<void> {
  for (const orphan of orphans) {
    adoptOrphan(orphan);
    ctx.logger.warn({ runId: orphan.runId, stacks: orphan.stacks, pgids: orphan.children.map((c) => c.pgid) }, 'a process of an interrupted run outlived its oresi process');
    await ctx.audit.append({
      type: 'run.orphan_found', runId: orphan.runId, actor: 'system',
      data: {
        stacks: orphan.stacks, rule: ctx.config.recovery.orphans,
        processes: ctx.redactor.redactValue(orphan.children.map((c) => ({ pid: c.pid, pgid: c.pgid, startTime: c.startTime, argv: c.argv }))),
      },
    });
  }
}

/** Ends the orphans by the configured rule; abort stops waiting (the locks then stay held). */
export async function endOrphans(ctx: AppContext, orphans: OrphanRun[], signal: AbortSignal): Promise<void> {
  await Promise.all(orphans.map(async (orphan) => {
    const { outcome, waitedMs } = await endOrphan(orphan, {
      rule: ctx.config.recovery.orphans, waitMs: ctx.config.recovery.orphanWaitSeconds * 1000,
      graceMs: ctx.config.limits.killGraceMs, signal,
    });
    if (outcome === 'abandoned') return;
    try {
      await ctx.audit.append({ type: 'run.orphan_ended', runId: orphan.runId, actor: 'system', data: { stacks: orphan.stacks, outcome, waitedMs } });
      await noteOnRun(ctx, orphan.runId, outcome, waitedMs);
    } catch (err) {
      // Unrecorded, the orphan keeps its locks: the next start finds the stack still claimed.
      ctx.logger.error({ runId: orphan.runId, err: String(err) }, 'could not record how an orphan ended');
      return;
    }
    if (outcome !== 'survived') releaseOrphan(orphan);
    else ctx.logger.error({ runId: orphan.runId, stacks: orphan.stacks }, 'an orphan survived SIGKILL; its stacks stay locked while it lives');
  }));
}

/** The interrupted run's step that was running says what became of its process. */
async function noteOnRun(ctx: AppContext, runId: string, outcome: string, waitedMs: number): Promise<void> {
  const row = ctx.audit.getRun(runId);
  if (!row) return;
  const note = `oresi: this step's process outlived the oresi process that started it; at the next start it ${outcome === 'exited' ? 'ended by itself' : `was ${outcome}`} after ${waitedMs} ms`;
  const steps = (row.steps as StepView[]).map((s) => (s.outcome === 'running' ? { ...s, stderr: s.stderr ? `${s.stderr}\n${note}` : note } : s));
  await ctx.audit.updateRun(runId, { steps });
}
