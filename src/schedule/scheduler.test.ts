import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../test/helpers/test-app.js';
import type { FiringResult } from './fire-schedule.js';
import { createScheduler } from './scheduler.js';
import { SchedulesConfig, type ScheduleEntry } from '../config/schedule-schema.js';

/** A clock and timer queue the test moves by hand; timers may be told to fire early or late. */
function fakeTime(startIso: string) {
  let now = Date.parse(startIso);
  let timers: Array<{ at: number; fn: () => void; id: number }> = [];
  let ids = 0;
  let jitter = (_i: number) => 0;
  return {
    clock: () => now,
    setTimer(ms: number, fn: () => void) {
      const id = ++ids;
      timers.push({ at: now + ms + jitter(id), fn, id });
      return () => { timers = timers.filter((t) => t.id !== id); };
    },
    setJitter(f: (i: number) => number) { jitter = f; },
    /** Runs due timers in order until `iso`. */
    advanceTo(iso: string) {
      const end = Date.parse(iso);
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers[0];
        if (!next || next.at > end) break;
        timers.shift();
        now = Math.max(now, next.at);
        next.fn();
      }
      now = end;
    },
    pending: () => timers.length,
  };
}

const intent = (name: string, stack: string) => `apiVersion: oresi.dev/v1\nkind: Intent\nname: ${name}\nstack: ${stack}\nsteps:\n  - action: status\n`;

describe('createScheduler', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await makeTestApp({
      stacks: { web: 'services:\n  app:\n    image: busybox\n' },
      intents: { 'status.yaml': intent('web-status', 'web') },
      config: { roles: { nightly: { intents: ['web-*'] } } },
    });
  });
  afterAll(() => app?.close());

  const entries = (list: unknown[]): SchedulesConfig => SchedulesConfig.parse(list);
  const recorder = () => {
    const fired: Array<{ name: string; minute: string }> = [];
    const fire = async (entry: ScheduleEntry, opts: { minuteIso: string }): Promise<FiringResult> => {
      fired.push({ name: entry.name, minute: opts.minuteIso });
      return { schedule: entry.name, outcome: 'ran', runId: 'x', state: 'succeeded' };
    };
    return { fired, fire };
  };

  it('fires exactly once per matching minute, even when timers fire early or late', async () => {
    const t = fakeTime('2025-03-01T10:00:30Z');
    // Every other timer fires 40 ms early (re-armed for the same boundary) or 20 s late.
    t.setJitter((i) => (i % 3 === 0 ? -40 : i % 3 === 1 ? 20_000 : 0));
    const { fired, fire } = recorder();
    const s = createScheduler({ ctx: app.ctx, clock: t.clock, setTimer: t.setTimer, fire, schedules: entries([{ name: 'even', cron: '*/2 * * * *', intent: 'web-status', timeZone: 'UTC' }]) });
    s.start();
    t.advanceTo('2025-03-01T10:10:59Z');
    s.stop();
    await s.idle();
    expect(fired.map((f) => f.minute)).toEqual(['10:02', '10:04', '10:06', '10:08', '10:10'].map((m) => `2025-03-01T${m}:00.000Z`));
    expect(t.pending()).toBe(0);
  });

  it('does not fire the minute it starts in, nor after stop()', async () => {
    const t = fakeTime('2025-03-01T10:00:00.500Z');
    const { fired, fire } = recorder();
    const s = createScheduler({ ctx: app.ctx, clock: t.clock, setTimer: t.setTimer, fire, schedules: entries([{ name: 'each', cron: '* * * * *', intent: 'web-status' }]) });
    s.start();
    t.advanceTo('2025-03-01T10:01:30Z');
    s.stop();
    t.advanceTo('2025-03-01T10:05:00Z');
    await s.idle();
    expect(fired.map((f) => f.minute)).toEqual(['2025-03-01T10:01:00.000Z']);
  });

  it('reads cron fields in the schedule time zone', async () => {
    const t = fakeTime('2025-07-01T00:30:00Z');
    const { fired, fire } = recorder();
    // 03:00 in Helsinki (UTC+3 in summer) is 00:00 UTC.
    const s = createScheduler({ ctx: app.ctx, clock: t.clock, setTimer: t.setTimer, fire, schedules: entries([{ name: 'hel', cron: '0 3 * * *', intent: 'web-status', timeZone: 'Europe/Helsinki' }]) });
    s.start();
    t.advanceTo('2025-07-02T00:30:00Z');
    s.stop();
    await s.idle();
    expect(fired.map((f) => f.minute)).toEqual(['2025-07-02T00:00:00.000Z']);
  });

  it('stops start-up on an unknown intent, role or unset ping env var', () => {
    const t = fakeTime('2025-03-01T10:00:00Z');
    const make = (e: unknown) => () => createScheduler({ ctx: app.ctx, clock: t.clock, setTimer: t.setTimer, schedules: entries([e]) });
    expect(make({ name: 'a', cron: '* * * * *', intent: 'nope' })).toThrow(/schedules\[0\] \(a\)\.intent: no intent named nope/);
    expect(make({ name: 'a', cron: '* * * * *', intent: 'web-status', role: 'ghost' })).toThrow(/role: no role named ghost/);
    expect(make({ name: 'a', cron: '* * * * *', intent: 'web-status', healthchecks: { urlEnv: 'ORESI_TEST_UNSET_HC' } })).toThrow(/ORESI_TEST_UNSET_HC is not set/);
  });

  it('the schema refuses bad cron, duplicate names and unknown zones', () => {
    expect(SchedulesConfig.safeParse([{ name: 'a', cron: '61 * * * *', intent: 'x' }]).success).toBe(false);
    expect(SchedulesConfig.safeParse([{ name: 'a', cron: '* * * * *', intent: 'x', timeZone: 'Mars/Base' }]).success).toBe(false);
    expect(SchedulesConfig.safeParse([{ name: 'a', cron: '* * * * *', intent: 'x' }, { name: 'a', cron: '@daily', intent: 'x' }]).success).toBe(false);
    expect(SchedulesConfig.safeParse([{ name: 'a', cron: '* * * * *', intent: 'x', healthchecks: { url: 'file:///etc/passwd' } }]).success).toBe(false);
  });

  it('a busy stack skips the run: nothing is requested twice, and the refusal is audited', async () => {
    const t = fakeTime('2025-03-01T10:00:30Z');
    const results: FiringResult[] = [];
    const lock = app.ctx.locks.tryAcquire('web', 'run-in-progress');
    if (!lock.acquired) throw new Error('lock');
    try {
      const s = createScheduler({ ctx: app.ctx, clock: t.clock, setTimer: t.setTimer, onFired: (r) => results.push(r), schedules: entries([{ name: 'nightly', cron: '* * * * *', intent: 'web-status', role: 'nightly' }]) });
      s.start();
      t.advanceTo('2025-03-01T10:01:10Z');
      s.stop();
      await s.idle();
    } finally {
      lock.release();
    }
    expect(results).toEqual([{ schedule: 'nightly', outcome: 'skipped', code: 'E_STACK_BUSY', reason: expect.stringContaining('run-in-progress') }]);
    const rejected = app.ctx.audit.list({ limit: 1000 }).filter((e) => e.type === 'run.rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ actor: 'schedule:nightly', data: { intent: 'web-status', source: 'schedule', code: 'E_STACK_BUSY' } });
    expect(app.ctx.audit.listRuns({ limit: 10 }).runs).toHaveLength(0);
  });
});
