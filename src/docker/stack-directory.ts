import type { StackDirectory } from '../commands/types.js';
import type { StackFacts } from '../plan/types.js';
import type { Sys } from '../sys/sys.js';
import { discoverStacks } from './discovery.js';

/** How stale the snapshot may be before a command re-reads the stacks root. */
export const STACKS_MAX_AGE_MS = 2_000;

/**
 * A snapshot of the stacks root. The planner is synchronous and pure, so commands refresh the
 * snapshot first; concurrent refreshes share one read of the disk.
 */
export function createStackDirectory(opts: { root: string; fs: Sys['fs']; allowlist?: readonly string[]; now?: () => number }): StackDirectory {
  const now = opts.now ?? (() => performance.now());
  let byName = new Map<string, StackFacts>();
  let problems: Array<{ name: string; reason: string }> = [];
  let loadedAt = -Infinity;
  let version = 0;
  let lastText = '';
  let inflight: Promise<void> | null = null;

  async function load(): Promise<void> {
    const found = await discoverStacks({ root: opts.root, fs: opts.fs, ...(opts.allowlist ? { allowlist: [...opts.allowlist] } : {}) });
    loadedAt = now();
    // The version names what was found, not when: plans cached for an unchanged root stay valid.
    const text = JSON.stringify(found);
    if (text === lastText) return;
    lastText = text;
    byName = new Map(found.stacks.map((s) => [s.name, s]));
    problems = found.problems;
    version += 1;
  }

  return {
    find: (name) => byName.get(name),
    list: () => [...byName.values()],
    problems: () => problems,
    version: () => version,
    async refresh(maxAgeMs = STACKS_MAX_AGE_MS) {
      if (now() - loadedAt <= maxAgeMs && maxAgeMs > 0) return;
      inflight ??= load().finally(() => { inflight = null; });
      await inflight;
    },
  };
}
