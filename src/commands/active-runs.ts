import type { ActiveRun, ActiveRuns } from './types.js';

export function createActiveRuns(): ActiveRuns {
  const runs = new Map<string, ActiveRun>();
  return {
    get: (id) => runs.get(id),
    set: (id, run) => void runs.set(id, run),
    delete: (id) => void runs.delete(id),
    size: () => runs.size,
    async drain(timeoutMs) {
      if (runs.size === 0) return;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs); });
      const all = Promise.allSettled([...runs.values()].map((r) => r.done)).then(() => undefined);
      await Promise.race([all, timeout]);
      clearTimeout(timer);
    },
  };
}
