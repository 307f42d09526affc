import type { Plan } from '../plan/types.js';

const MAX_ENTRIES = 256;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Plans are pure functions of (intent, params, stack facts, dialect), so a plan computed for the
 * same inputs is reused. The key includes the stack snapshot version: a re-read of the stacks
 * root invalidates every entry. Cached plans are frozen so no caller can change a shared one.
 */
export function createPlanCache() {
  const entries = new Map<string, Plan>();
  // The most recently used key: asking for it again needs no reordering (the common case is
  // one plan asked for over and over, and a delete + set per hit churns the Map).
  let newest: string | undefined;
  return {
    get(key: string): Plan | undefined {
      const plan = entries.get(key);
      if (plan && key !== newest) {
        // Refresh recency: Map keeps insertion order, so the oldest entry is first.
        entries.delete(key);
        entries.set(key, plan);
        newest = key;
      }
      return plan;
    },
    set(key: string, plan: Plan): Plan {
      newest = key;
      entries.delete(key);
      entries.set(key, deepFreeze(plan));
      if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
      return plan;
    },
  };
}

export type PlanCache = ReturnType<typeof createPlanCache>;

/** Undefined when the params cannot be part of a key (not plain JSON): those plans are not cached. */
export function planCacheKey(parts: { intent: string; params: unknown; dialect: string; stacksVersion: number }): string | undefined {
  let params: string;
  try {
    params = JSON.stringify(parts.params ?? {});
  } catch {
    return undefined;
  }
  return `${parts.stacksVersion}\u0000${parts.dialect}\u0000${parts.intent}\u0000${params}`;
}
