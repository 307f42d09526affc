import pino from 'pino';

export interface LogDestination {
  write(line: string): boolean;
  /** Writes whatever is pending, synchronously (also done on process exit). */
  flush(): void;
}

/**
 * Where `oresi serve` writes its log: stdout or a file, through pino's synchronous destination,
 * with the lines of one event-loop turn leaving in one write. A lone request's line is written
 * before the next turn (well under a millisecond later); under load, the lines of every request
 * answered in that turn share one system call, which was worth 10–15% of the plan route's
 * throughput (docs/performance.md). Whatever is pending is written on process exit; a
 * `kill -9` can lose at most the current turn's lines, never an audit record (those are in the
 * SQLite store, committed before anything runs).
 */
const MAX_PENDING = 64 * 1024;
const destinations = new Set<() => void>();
let exitHook = false;

export function createLogDestination(dest: string | number = 1): LogDestination {
  const out = pino.destination({ dest, sync: true });
  let pending = '';
  let scheduled = false;
  const flush = () => {
    if (pending === '') return;
    const text = pending;
    pending = '';
    out.write(text);
  };
  destinations.add(flush);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => { for (const f of destinations) f(); });
  }
  return {
    write(line) {
      pending += line;
      // Memory stays bounded even if one turn logs a flood.
      if (pending.length >= MAX_PENDING) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          flush();
        });
      }
      return true;
    },
    flush,
  };
}
