import { unlinkSync } from 'node:fs';
import { isOwnerAlive, listLocks, liveChildren, readLock, rewriteLock } from './file-locks.js';
import { isGroupAlive, processStartTime, signalGroup, type ChildRef } from './process-group.js';

/** What start-up does with a process a dead oresi process left running (config `recovery.orphans`). */
export type OrphanRule = 'terminate' | 'wait';
/** exited: ended by itself; terminated: after SIGTERM; killed: after SIGKILL; survived: not even then. */
export type OrphanOutcome = 'exited' | 'terminated' | 'killed' | 'survived';

/** One run of a dead oresi process whose spawned process groups still have live members. */
export interface OrphanRun {
  runId: string;
  stacks: string[];
  lockPaths: string[];
  children: ChildRef[];
}

export interface EndOrphanOptions {
  rule: OrphanRule;
  /** With `wait`: how long the orphan may finish by itself before it is terminated anyway. */
  waitMs: number;
  /** Between SIGTERM and SIGKILL. */
  graceMs: number;
  signal?: AbortSignal;
  pollMs?: number;
}

/** How long a group gets to vanish after SIGKILL before it is reported `survived` (D state). */
const AFTER_KILL_MS = 5_000;

/** Locks whose owner is dead but whose recorded children live, grouped by run. */
export function findOrphans(lockDir: string): OrphanRun[] {
  const runs = new Map<string, OrphanRun>();
  for (const { stack, path, lock } of listLocks(lockDir)) {
    if (isOwnerAlive(lock)) continue;
    const children = liveChildren(lock);
    if (children.length === 0) continue;
    const run = runs.get(lock.holder) ?? { runId: lock.holder, stacks: [], lockPaths: [], children: [] };
    run.stacks.push(stack);
    run.lockPaths.push(path);
    for (const c of children) if (!run.children.some((k) => k.pid === c.pid)) run.children.push(c);
    runs.set(lock.holder, run);
  }
  return [...runs.values()];
}

/**
 * Makes this process the owner of an orphan's locks (children kept), so other oresi processes
 * see a live owner and leave the orphan to us; the locks stay held until releaseOrphan.
 */
export function adoptOrphan(orphan: OrphanRun, pid = process.pid): void {
  const pidStart = processStartTime(pid);
  for (const path of orphan.lockPaths) {
    const lock = readLock(path);
    if (lock?.holder === orphan.runId) rewriteLock(path, { ...lock, pid, pidStart });
  }
}

export function releaseOrphan(orphan: OrphanRun, pid = process.pid): void {
  for (const path of orphan.lockPaths) {
    if (readLock(path)?.pid !== pid) continue;
    try { unlinkSync(path); } catch { /* already gone */ }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until no recorded group has live members, or `ms` passed; true when they all ended. */
async function waitGone(children: ChildRef[], ms: number, pollMs: number, signal?: AbortSignal): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (!children.some(isGroupAlive)) return true;
    if (Date.now() >= until || signal?.aborted) return false;
    await sleep(Math.min(pollMs, Math.max(1, until - Date.now())));
  }
}

/**
 * Ends an orphan by the rule: `wait` lets it finish for up to waitMs, then (like `terminate`
 * at once) SIGTERM to each group, SIGKILL after graceMs. Its exit status is unknowable: it is
 * not our child. An abort (shutdown) stops waiting and leaves the locks held for the next start.
 */
export async function endOrphan(orphan: OrphanRun, opts: EndOrphanOptions): Promise<{ outcome: OrphanOutcome | 'abandoned'; waitedMs: number }> {
  const t0 = Date.now();
  const poll = opts.pollMs ?? 100;
  const done = (outcome: OrphanOutcome | 'abandoned') => ({ outcome, waitedMs: Date.now() - t0 });
  if (opts.rule === 'wait' && await waitGone(orphan.children, opts.waitMs, poll, opts.signal)) return done('exited');
  if (opts.signal?.aborted) return done('abandoned');
  for (const c of orphan.children) signalGroup(c.pgid, 'SIGTERM');
  if (await waitGone(orphan.children, opts.graceMs, poll)) return done('terminated');
  for (const c of orphan.children) signalGroup(c.pgid, 'SIGKILL');
  return done(await waitGone(orphan.children, AFTER_KILL_MS, poll) ? 'killed' : 'survived');
}
