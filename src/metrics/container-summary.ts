import type { ComposeContainer } from '../docker/engine-types.js';

export interface ContainerCounts {
  byState: Record<string, number>;
  /** healthy | unhealthy | starting | none (no healthcheck) */
  byHealth: Record<string, number>;
}

export interface StackCounts {
  name: string;
  running: number;
  total: number;
  healthy: number;
}

/** Pure: the engine's compose containers, counted for the whole host and per known stack. */
export function summariseContainers(containers: readonly ComposeContainer[], stackNames: readonly string[]): { containers: ContainerCounts; stacks: StackCounts[] } {
  const byState: Record<string, number> = {};
  const byHealth: Record<string, number> = {};
  for (const c of containers) {
    const state = c.state || 'unknown';
    byState[state] = (byState[state] ?? 0) + 1;
    const health = c.health ?? 'none';
    byHealth[health] = (byHealth[health] ?? 0) + 1;
  }
  const stacks = [...stackNames].sort().map((name) => {
    const mine = containers.filter((c) => c.project === name);
    return {
      name,
      running: mine.filter((c) => c.state === 'running').length,
      total: mine.length,
      healthy: mine.filter((c) => c.health === 'healthy').length,
    };
  });
  return { containers: { byState, byHealth }, stacks };
}
