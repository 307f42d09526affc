import type { AlertEvent } from './events.js';

/**
 * Alert fatigue control. The first `problem` for a dedupeKey is sent; identical repeats are
 * counted, not sent, until an `ok` for the same key arrives, which is sent as a recovery
 * (carrying how many were suppressed). Open problems are bounded: past `maxKeys` the oldest is
 * forgotten, which at worst re-sends one alert.
 */
export type SuppressionDecision =
  | { send: true; event: AlertEvent }
  | { send: false; reason: 'suppressed' | 'quiet' };

export interface Suppression {
  decide(event: AlertEvent): SuppressionDecision;
  /** Keys with an open (already alerted) problem. */
  open(): number;
}

interface OpenProblem {
  since: string;
  suppressed: number;
}

export function createSuppression(maxKeys = 10_000): Suppression {
  const problems = new Map<string, OpenProblem>();
  return {
    open: () => problems.size,
    decide(event) {
      if (event.status === 'event') return { send: true, event };
      const current = problems.get(event.dedupeKey);
      if (event.status === 'problem') {
        if (current) {
          current.suppressed += 1;
          return { send: false, reason: 'suppressed' };
        }
        if (problems.size >= maxKeys) {
          const oldest = problems.keys().next();
          if (!oldest.done) problems.delete(oldest.value);
        }
        problems.set(event.dedupeKey, { since: event.at, suppressed: 0 });
        return { send: true, event };
      }
      if (!current) return event.quiet ? { send: false, reason: 'quiet' } : { send: true, event };
      problems.delete(event.dedupeKey);
      return { send: true, event: markRecovered(event, current) };
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
