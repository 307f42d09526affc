import type { AuditEventType, AuditStore } from '../audit/types.js';
import type { Logger, Redactor } from '../model.js';
import { type Jitter, cryptoJitter, retryDelay } from './backoff.js';
import type { AlertEvent } from './events.js';
import type { RetryConfig, RouteConfig } from '../config/notify-schema.js';
import { routeEvent } from './routing.js';
import type { SendResult, Sink } from './sink-types.js';
import { createMemoryProblemStore, createSuppression, type ProblemStore, type SuppressionDecision } from './suppression.js';

/**
 * The notifier: routes an alert to sinks, redacts it, queues it per sink and delivers it with
 * retries, auditing every outcome. It is fire-and-forget by design — `notify` never blocks and
 * never throws, so a dead Discord cannot slow down or fail a run. Each sink has its own FIFO
 * and worker: a sink stuck in retries delays only its own alerts, and per-sink order holds
 * (Healthchecks' /start before its success).
 */
export interface NotifierDeps {
  sinks: Record<string, Sink>;
  routes: readonly RouteConfig[];
  retry: RetryConfig;
  /** Pending deliveries per sink before the oldest is dropped. */
  queueSize: number;
  redactor: Pick<Redactor, 'redact' | 'redactValue'>;
  audit: Pick<AuditStore, 'append'>;
  logger: Logger;
  /** Waits between retries; tests pass a fast one. Defaults to an unref'd timer. */
  sleep?: (ms: number) => Promise<void>;
  jitter?: Jitter;
  /** Open problems remembered for suppression. */
  maxOpenProblems?: number;
  /** Where open problems are kept: in memory unless given (createApp shares `<dataDir>/alerts.db`). */
  problems?: ProblemStore;
}

export interface SinkStats {
  queued: number;
  delivered: number;
  failed: number;
  dropped: number;
}

export interface NotifierStats extends SinkStats {
  inFlight: number;
  retries: number;
  suppressed: number;
  /** Alerts no route wanted. */
  unrouted: number;
  openProblems: number;
  sinks: Record<string, SinkStats>;
}

export interface Notifier {
  /** Queues the alert for every routed sink; returns at once and never throws. */
  notify(event: AlertEvent): void;
  /** Resolves true once everything queued is delivered or given up (and audited), false on timeout. */
  flush(timeoutMs: number): Promise<boolean>;
  stats(): NotifierStats;
  /** Closes the open-problem store; call after flush. */
  close(): void;
}

interface Job {
  sink: Sink;
  /** Already redacted. */
  event: AlertEvent;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => {
  // Unref'd: a pending retry must not keep a finished CLI alive; flush() holds the loop when asked.
  setTimeout(resolve, ms).unref();
});

export function createNotifier(deps: NotifierDeps): Notifier {
  const sleep = deps.sleep ?? defaultSleep;
  const jitter = deps.jitter ?? cryptoJitter;
  const problems = deps.problems ?? createMemoryProblemStore();
  const suppression = createSuppression(deps.maxOpenProblems, problems);
  const queues = new Map<string, Job[]>();
  const working = new Set<string>();
  const pendingAudits = new Set<Promise<void>>();
  const perSink = new Map<string, SinkStats>();
  const totals = { inFlight: 0, retries: 0, suppressed: 0, unrouted: 0 };
  let idleWaiters: Array<() => void> = [];

  const sinkStats = (name: string): SinkStats => {
    let s = perSink.get(name);
    if (!s) perSink.set(name, (s = { queued: 0, delivered: 0, failed: 0, dropped: 0 }));
    return s;
  };
  const isIdle = () => working.size === 0 && pendingAudits.size === 0 && [...queues.values()].every((q) => q.length === 0);
  const checkIdle = () => {
    if (!isIdle()) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  };

  function record(type: AuditEventType, job: Job, attempts: number, reason?: string): Promise<void> {
    const p = deps.audit.append({
      type,
      runId: job.event.runId,
      actor: 'system',
      data: {
        sink: job.sink.name,
        sinkType: job.sink.type,
        kind: job.event.kind,
        dedupeKey: job.event.dedupeKey,
        attempts,
        ...(job.event.recovered ? { recovered: true } : {}),
        ...(reason !== undefined ? { reason: deps.redactor.redact(reason) } : {}),
      },
    }).then(() => undefined, (err: unknown) => {
      deps.logger.error({ sink: job.sink.name, type, err: errorMessage(err) }, 'could not audit a notification outcome');
    });
    pendingAudits.add(p);
    void p.finally(() => {
      pendingAudits.delete(p);
      checkIdle();
    });
    return p;
  }

  async function safeSend(job: Job): Promise<SendResult> {
    try {
      return await job.sink.send(job.event);
    } catch (err) {
      // Sinks report HTTP and network trouble as data; a throw is a bug, and retrying will not fix it.
      return { ok: false, retryable: false, reason: `sink error: ${errorMessage(err)}` };
    }
  }

  async function deliver(job: Job): Promise<void> {
    const stats = sinkStats(job.sink.name);
    for (let attempt = 1; ; attempt += 1) {
      const result = await safeSend(job);
      if (result.ok) {
        stats.delivered += 1;
        await record('notify.delivered', job, attempt);
        return;
      }
      const delay = result.retryable ? retryDelay(attempt, deps.retry, result.retryAfterMs, jitter) : null;
      if (delay === null) {
        stats.failed += 1;
        deps.logger.warn({ sink: job.sink.name, kind: job.event.kind, attempts: attempt, reason: deps.redactor.redact(result.reason) }, 'notification not delivered');
        await record('notify.failed', job, attempt, result.reason);
        return;
      }
      totals.retries += 1;
      await sleep(delay);
    }
  }

  async function work(name: string): Promise<void> {
    const queue = queues.get(name) ?? [];
    try {
      for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
        sinkStats(name).queued = queue.length;
        totals.inFlight += 1;
        try {
          await deliver(job);
        } finally {
          totals.inFlight -= 1;
        }
      }
    } catch (err) {
      deps.logger.error({ sink: name, err: errorMessage(err) }, 'notification worker stopped');
    } finally {
      working.delete(name);
      sinkStats(name).queued = queue.length;
      checkIdle();
    }
  }

  function enqueue(sink: Sink, event: AlertEvent): void {
    let queue = queues.get(sink.name);
    if (!queue) queues.set(sink.name, (queue = []));
    const stats = sinkStats(sink.name);
    if (queue.length >= deps.queueSize) {
      const dropped = queue.shift() as Job;
      stats.dropped += 1;
      deps.logger.warn({ sink: sink.name, kind: dropped.event.kind, dropped: stats.dropped }, 'notification queue full: dropped the oldest alert');
      void record('notify.failed', dropped, 0, 'dropped: queue full');
    }
    queue.push({ sink, event });
    stats.queued = queue.length;
    if (!working.has(sink.name)) {
      working.add(sink.name);
      // Start on a later tick: nothing of the delivery runs on the caller's stack.
      void Promise.resolve().then(() => work(sink.name));
    }
  }

  function notify(event: AlertEvent): void {
    try {
      const names = routeEvent(event, deps.routes);
      const targets = names.map((n) => deps.sinks[n]).filter((s): s is Sink => s !== undefined);
      if (targets.length < names.length) deps.logger.warn({ missing: names.filter((n) => !deps.sinks[n]) }, 'route names a sink that was not built');
      if (targets.length === 0) {
        totals.unrouted += 1;
        return;
      }
      let decision: SuppressionDecision;
      try {
        decision = suppression.decide(event);
      } catch (err) {
        // Without the shared state an alert may repeat; losing one would be worse.
        deps.logger.warn({ err: errorMessage(err), dedupeKey: event.dedupeKey }, 'alert suppression state unavailable; sending the alert');
        decision = { send: true, event };
      }
      if (!decision.send) {
        if (decision.reason === 'suppressed') {
          totals.suppressed += 1;
          deps.logger.info({ dedupeKey: event.dedupeKey, kind: event.kind }, 'repeated alert suppressed until recovery');
        }
        return;
      }
      // The boundary: what leaves for any sink is redacted here, whole strings before any cut.
      const safe = deps.redactor.redactValue(decision.event);
      for (const sink of targets) enqueue(sink, safe);
    } catch (err) {
      deps.logger.error({ err: errorMessage(err) }, 'could not queue an alert');
    }
  }

  function flush(timeoutMs: number): Promise<boolean> {
    if (isIdle()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        idleWaiters = idleWaiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      idleWaiters.push(done);
    });
  }

  function stats(): NotifierStats {
    const sinks: Record<string, SinkStats> = {};
    const sum: SinkStats = { queued: 0, delivered: 0, failed: 0, dropped: 0 };
    for (const [name, s] of perSink) {
      sinks[name] = { ...s };
      sum.queued += s.queued;
      sum.delivered += s.delivered;
      sum.failed += s.failed;
      sum.dropped += s.dropped;
    }
    return { ...sum, ...totals, openProblems: openProblems(), sinks };
  }

  function openProblems(): number {
    try {
      return suppression.open();
    } catch {
      return 0;
    }
  }

  return { notify, flush, stats, close: () => problems.close() };
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
