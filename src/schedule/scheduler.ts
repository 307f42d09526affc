import type { AppContext } from '../commands/types.js';
import { AppError } from '../errors.js';
import { matchesCron, parseCron, type CronSpec } from '../policy/cron.js';
import { fireSchedule, type FiringResult } from './fire-schedule.js';
import { type ScheduleEntry, type SchedulesConfig } from '../config/schedule-schema.js';
import { cronFieldsAt } from '../policy/zoned-time.js';

const MINUTE_MS = 60_000;

export interface SchedulerDeps {
  ctx: AppContext;
  /** Wall clock, ms since the epoch. */
  clock: () => number;
  /** setTimeout-like; returns a function that cancels the timer. */
  setTimer: (ms: number, fn: () => void) => () => void;
  /** Defaults to `schedules` of ctx.config. */
  schedules?: SchedulesConfig;
  /** Runs one firing; defaults to fireSchedule (tests count firings with their own). */
  fire?: (entry: ScheduleEntry, opts: { minuteIso: string; pingUrl?: string }) => Promise<FiringResult>;
  onFired?: (result: FiringResult) => void;
}

export interface Scheduler {
  start(): void;
  /** No new firings; runs already started go on (ctx.active drains them at shutdown). */
  stop(): void;
  /** Resolves when every firing started so far has finished (runs and pings). */
  idle(): Promise<void>;
}

interface Prepared {
  entry: ScheduleEntry;
  spec: CronSpec;
  pingUrl?: string;
}

/**
 * Fires each schedule at most once per matching wall-clock minute. The timer is re-armed for the
 * next minute boundary after every tick, and the last minute fired is remembered, so a timer that
 * fires early (re-armed for the same boundary) or late (fires that minute once) cannot double a run.
 * The minute in which start() is called is not fired: a crash-looping process would otherwise
 * repeat it. Minutes missed while the process was down are not caught up; a Healthchecks check
 * on the schedule reports them.
 */
export function createScheduler(deps: SchedulerDeps): Scheduler {
  const { ctx, clock, setTimer } = deps;
  const prepared = prepareSchedules(ctx, deps.schedules ?? ctx.config.schedules);
  const fire = deps.fire ?? ((entry, opts) => fireSchedule(ctx, entry, opts));
  const inflight = new Set<Promise<void>>();
  let cancel: (() => void) | null = null;
  let lastMinute = -Infinity;
  let running = false;

  const arm = () => {
    if (!running) return;
    const now = clock();
    const next = (Math.floor(now / MINUTE_MS) + 1) * MINUTE_MS;
    cancel = setTimer(Math.max(1, next - now), tick);
  };

  function tick(): void {
    cancel = null;
    if (!running) return;
    const minute = Math.floor(clock() / MINUTE_MS);
    if (minute > lastMinute) {
      lastMinute = minute;
      fireDue(minute * MINUTE_MS);
    }
    arm();
  }

  function fireDue(minuteMs: number): void {
    const minuteIso = new Date(minuteMs).toISOString();
    for (const p of prepared) {
      if (!matchesCron(p.spec, cronFieldsAt(minuteMs, p.entry.timeZone))) continue;
      const done = fire(p.entry, { minuteIso, ...(p.pingUrl ? { pingUrl: p.pingUrl } : {}) })
        .then((result) => deps.onFired?.(result))
        .catch((err: unknown) => ctx.logger.error({ schedule: p.entry.name, err: String(err) }, 'scheduled firing failed'))
        .finally(() => inflight.delete(done));
      inflight.add(done);
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      lastMinute = Math.floor(clock() / MINUTE_MS);
      arm();
    },
    stop() {
      running = false;
      cancel?.();
      cancel = null;
    },
    async idle() {
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
  };
}

/** Everything that can be wrong with a schedule is found here, at start-up, not at 3 a.m. */
export function prepareSchedules(ctx: AppContext, entries: SchedulesConfig): Prepared[] {
  return entries.map((entry, i) => {
    const where = `schedules[${i}] (${entry.name})`;
    const parsed = parseCron(entry.cron);
    if (!parsed.ok) throw new AppError('E_CONFIG_INVALID', `${where}.cron: ${parsed.error}`);
    if (!ctx.catalog.getIntent(entry.intent)) throw new AppError('E_CONFIG_INVALID', `${where}.intent: no intent named ${entry.intent}`);
    if (entry.role !== undefined && !ctx.config.roles[entry.role]) throw new AppError('E_CONFIG_INVALID', `${where}.role: no role named ${entry.role} in roles`);
    const hc = entry.healthchecks;
    let pingUrl: string | undefined;
    if (hc) {
      pingUrl = 'url' in hc ? hc.url : ctx.sys.env[hc.urlEnv];
      if (!pingUrl) throw new AppError('E_CONFIG_INVALID', `${where}.healthchecks.urlEnv: environment variable ${'urlEnv' in hc ? hc.urlEnv : ''} is not set`);
      if (!/^https?:\/\//.test(pingUrl)) throw new AppError('E_CONFIG_INVALID', `${where}.healthchecks: the ping URL must be http(s)`);
    }
    return { entry, spec: parsed.spec, ...(pingUrl ? { pingUrl } : {}) };
  });
}

/** The real timer for `oresi serve`; unref'd so a pending tick never keeps the process alive. */
export function nodeTimer(ms: number, fn: () => void): () => void {
  const t = setTimeout(fn, ms);
  t.unref();
  return () => clearTimeout(t);
}
