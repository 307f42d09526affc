import type { FastifyInstance } from 'fastify';

/**
 * Work held until the end of the current event-loop turn and then run together, in order, from
 * one `setImmediate`. `oresi serve` holds its responses here (server.ts), as the log destination
 * holds its lines (log-destination.ts): a lone request waits well under a millisecond; under
 * load a response waits at most for the rest of the turn it was answered in, and every answer of
 * the turn reaches its client at once, so a client or proxy on the same host is woken once per
 * turn instead of once per response (docs/performance.md has what that is worth).
 *
 * A callback that throws does not stop the others: the error is handed to `onError`.
 */
export type TurnBatch = (work: () => void) => void;

export function createTurnBatch(onError: (err: unknown) => void): TurnBatch {
  let queue: Array<() => void> | null = null;
  const runAll = () => {
    const due = queue ?? [];
    queue = null;
    for (const work of due) {
      try {
        work();
      } catch (err) {
        onError(err);
      }
    }
  };
  return (work) => {
    if (queue === null) {
      queue = [work];
      setImmediate(runAll);
    } else {
      queue.push(work);
    }
  };
}

/**
 * Holds every response of `app` (and of the plugins registered inside it) to the end of its
 * turn. Routes must return their payload (or the reply), never send and resolve with nothing:
 * with the response held, Fastify would take that for a second answer.
 */
export function holdResponsesToTurnEnd(app: FastifyInstance, onError: (err: unknown) => void): void {
  const atTurnEnd = createTurnBatch(onError);
  app.addHook('onSend', (_request, _reply, payload, done) => atTurnEnd(() => done(null, payload)));
}
