import type { LockResult, StackLocks } from './types.js';

/**
 * In-process stack locks. oresi is one process per host, so a map is the whole truth; a run
 * found `running` after a restart is marked interrupted by the audit layer, not by locks.
 */
export function createStackLocks(): StackLocks {
  const held = new Map<string, { holder: string; token: symbol }>();
  return {
    tryAcquire(stack, holder): LockResult {
      const current = held.get(stack);
      if (current) return { acquired: false, holder: current.holder };
      const token = Symbol(holder);
      held.set(stack, { holder, token });
      return {
        acquired: true,
        // Idempotent, and a stale release cannot free a lock someone else took since.
        release: () => {
          if (held.get(stack)?.token === token) held.delete(stack);
        },
      };
    },
    holder(stack) {
      return held.get(stack)?.holder;
    },
  };
}

/**
 * All-or-nothing over several stacks (a plan with depends_on touches more than one).
 * Sorted so two callers never each hold half of the other's set.
 */
export function acquireStacks(locks: StackLocks, stacks: readonly string[], holder: string): LockResult {
  const names = [...new Set(stacks)].sort();
  const releases: Array<() => void> = [];
  for (const name of names) {
    const res = locks.tryAcquire(name, holder);
    if (!res.acquired) {
      for (const release of releases.reverse()) release();
      return res;
    }
    releases.push(res.release);
  }
  return {
    acquired: true,
    release: () => {
      for (const release of [...releases].reverse()) release();
    },
  };
}
