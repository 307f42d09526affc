import type { AlertEvent } from './events.js';

/**
 * Alert fatigue control. The first `problem` for a dedupeKey is sent; identical repeats are
 * counted, not sent, until an `ok` for the same key arrives, which is sent as a recovery
 * (carrying how many were suppressed). Open problems are bounded: past `maxKeys` the oldest is
 * forgotten, which at worst re-sends one alert.
 *
 * Where the open problems live is the store's business: in memory for a one-off process, or in
 * `<dataDir>/alerts.db` (problem-store.ts) so that `oresi serve`, a cron'd `oresi drift` and a
 * restarted server all agree that a standing problem was already announced — and can announce
 * its recovery.
 */
export type SuppressionDecision =
  | { send: true; event: AlertEvent }
  | { send: false; reason: 'suppressed' | 'quiet' };

export interface Suppression {
  decide(event: AlertEvent): SuppressionDecision;
  /** Keys with an open (already alerted) problem. */
  open(): number;
}

export interface OpenProblem {
  since: string;
  suppressed: number;
}

/** The open problems as one consistent view, for the length of one decision. */
export interface ProblemTable {
  get(key: string): OpenProblem | undefined;
  set(key: string, problem: OpenProblem): void;
  delete(key: string): void;
  size(): number;
  /** Forgets the problem opened first. */
  deleteOldest(): void;
}

export interface ProblemStore {
  /** Runs `fn` as one step, even against other processes sharing the store. */
  atomically<T>(fn: (table: ProblemTable) => T): T;
  close(): void;
}

export function createMemoryProblemStore(): ProblemStore {
  const problems = new Map<string, OpenProblem>();
  const table: ProblemTable = {
    get: (key) => problems.get(key),
    set: (key, problem) => { problems.set(key, problem); },
    delete: (key) => { problems.delete(key); },
    size: () => problems.size,
    deleteOldest: () => {
      const oldest = problems.keys().next();
      if (!oldest.done) problems.delete(oldest.value);
    },
  };
  return { atomically: (fn) => fn(table), close: () => problems.clear() };
}

export function createSuppression(maxKeys = 10_000, store: ProblemStore = createMemoryProblemStore()): Suppression {
  return {
    open: () => store.atomically((t) => t.size()),
    decide: (event) => {
      if (event.status === 'event') return { send: true, event };
      return store.atomically((problems): SuppressionDecision => {
        const current = problems.get(event.dedupeKey);
        if (event.status === 'problem') {
          if (current) {
            problems.set(event.dedupeKey, { ...current, suppressed: current.suppressed + 1 });
            return { send: false, reason: 'suppressed' };
          }
          if (problems.size() >= maxKeys) problems.deleteOldest();
          problems.set(event.dedupeKey, { since: event.at, suppressed: 0 });
          return { send: true, event };
        }
        if (!current) return event.quiet ? { send: false, reason: 'quiet' } : { send: true, event };
        problems.delete(event.dedupeKey);
        return { send: true, event: markRecovered(event, current) };
      });
    },
  };
}

function markRecovered(event: AlertEvent, problem: OpenProblem): AlertEvent {
  const fields: Record<string, string> = { ...event.fields, 'failing since': problem.since };
  if (problem.suppressed > 0) fields['repeats suppressed'] = String(problem.suppressed);
  return {
    ...event,
    title: `Recovered: ${event.title}`,
    fields,
    recovered: { since: problem.since, suppressed: problem.suppressed },
  };
}
