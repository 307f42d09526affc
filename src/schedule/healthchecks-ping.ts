import type { RunView } from '../model.js';
import { alertFromRun, type AlertEvent } from '../notify/events.js';
import { createHealthchecksSink } from '../notify/healthchecks.js';
import type { SendResult } from '../notify/sink-types.js';

/**
 * Healthchecks.io pings for one scheduled firing, reusing the notify sink (URLs, bodies and the
 * 100 kB log cut live there). A ping id of our own pairs /start with the finish ping, because
 * the run id does not exist yet when /start is sent.
 */
export interface PingDeps {
  fetch: typeof fetch;
  now: () => number;
  redactValue: <T>(value: T) => T;
}

export interface FiringPinger {
  start(): Promise<SendResult>;
  finished(run: RunView): Promise<SendResult>;
  /** The run never started (busy stack, refused): a failure for the check, with the reason. */
  notRun(reason: string): Promise<SendResult>;
}

const PING_TIMEOUT_MS = 10_000;

export function createFiringPinger(url: string, schedule: { name: string; intent: string }, pingId: string, deps: PingDeps): FiringPinger {
  const sink = createHealthchecksSink({ name: `schedule:${schedule.name}`, url, timeoutMs: PING_TIMEOUT_MS }, { fetch: deps.fetch, now: deps.now });
  const at = () => new Date(deps.now()).toISOString();
  const base = { dedupeKey: `schedule:${schedule.name}`, intent: schedule.intent, runId: pingId };
  const send = (event: AlertEvent) => sink.send(deps.redactValue(event));
  return {
    start: () => send({
      ...base, kind: 'run.started', severity: 'info', status: 'event', at: at(),
      title: `Starting: schedule ${schedule.name} (${schedule.intent})`, text: 'Scheduled run requested.',
    }),
    finished(run) {
      const alert = alertFromRun(run) ?? {
        kind: 'run.failed' as const, severity: 'warning' as const, status: 'problem' as const, at: at(), dedupeKey: base.dedupeKey,
        title: `Ended ${run.state}: ${run.intent} on stack ${run.stack}`, text: `Scheduled run ${run.id} ended ${run.state}.`,
      };
      return send({ ...alert, runId: pingId });
    },
    notRun: (reason) => send({
      ...base, kind: 'run.failed', severity: 'warning', status: 'problem', at: at(),
      title: `Not run: schedule ${schedule.name} (${schedule.intent})`, text: reason,
    }),
  };
}
