import { getRun, isTerminal } from '../commands/runs.js';
import type { AppContext } from '../commands/types.js';
import type { Caller, RunView } from '../model.js';

export interface FollowOptions {
  /** How often to look at a running run's steps for a progress update. */
  progressMs: number;
  /** Stop following after this long (the platform's reply token expires). */
  maxMs: number;
}

const fingerprint = (run: RunView) => `${run.state}|${run.steps.map((s) => s.outcome).join(',')}`;

/**
 * Publishes a run's progress until it ends: each time a step or the state changes, and once at
 * the end. Returns the last view published. Never throws for a publish failure (logged by the
 * publisher): the run itself does not depend on the chat message.
 */
export async function followRun(
  ctx: AppContext,
  caller: Caller,
  first: RunView,
  publish: (run: RunView) => Promise<void>,
  opts: FollowOptions,
): Promise<RunView> {
  let last = first;
  const started = ctx.sys.monotonic();
  while (!isTerminal(last.state)) {
    const active = ctx.active.get(last.id);
    if (!active) {
      // Ended before we looked, or not executing here (waiting for approval, another process).
      const now = readRun(ctx, caller, last.id) ?? last;
      if (fingerprint(now) !== fingerprint(last)) await publish(now);
      return now;
    }
    let timer: NodeJS.Timeout | undefined;
    const tick = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), opts.progressMs); });
    const done = await Promise.race([active.done.catch(() => undefined), tick]);
    clearTimeout(timer);
    const now = done ?? readRun(ctx, caller, last.id) ?? last;
    if (fingerprint(now) !== fingerprint(last)) await publish(now);
    last = now;
    if (ctx.sys.monotonic() - started > opts.maxMs) break;
  }
  return last;
}

function readRun(ctx: AppContext, caller: Caller, id: string): RunView | undefined {
  try {
    return getRun(ctx, caller, id);
  } catch {
    return undefined;
  }
}
