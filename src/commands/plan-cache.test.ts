import { describe, expect, it } from 'vitest';
import type { Plan } from '../plan/types.js';
import { createPlanCache, planCacheKey } from './plan-cache.js';

const plan = (n: number) => ({ intent: `i${n}`, steps: [] }) as unknown as Plan;

describe('plan cache', () => {
  it('evicts the least recently used entry past 256, counting gets as use', () => {
    const cache = createPlanCache();
    for (let i = 0; i < 256; i++) cache.set(`k${i}`, plan(i));
    // k0 is used (repeatedly, as a hot plan is), so k1 is now the oldest.
    for (let n = 0; n < 3; n++) expect(cache.get('k0')?.intent).toBe('i0');
    cache.set('k256', plan(256));
    expect(cache.get('k1')).toBeUndefined();
    expect(cache.get('k0')?.intent).toBe('i0');
    // Using the newest entry again and then an older one keeps both ahead of the rest.
    expect(cache.get('k256')?.intent).toBe('i256');
    expect(cache.get('k2')?.intent).toBe('i2');
    cache.set('k257', plan(257));
    expect(cache.get('k3')).toBeUndefined();
    for (const k of ['k0', 'k2', 'k256', 'k257']) expect(cache.get(k)).toBeDefined();
  });

  it('a plan set again moves to the newest place; cached plans are frozen', () => {
    const cache = createPlanCache();
    for (let i = 0; i < 256; i++) cache.set(`k${i}`, plan(i));
    cache.set('k0', plan(1000));
    cache.set('k256', plan(256));
    expect(cache.get('k1')).toBeUndefined();
    expect(cache.get('k0')?.intent).toBe('i1000');
    expect(Object.isFrozen(cache.get('k0'))).toBe(true);
    expect(Object.isFrozen(cache.get('k0')?.steps)).toBe(true);
  });

  it('keys separate stack versions, dialects, intents and params; odd params are not keyed', () => {
    const base = { intent: 'a', params: { n: 1 }, dialect: 'v2', stacksVersion: 1 };
    const keys = new Set([base, { ...base, stacksVersion: 2 }, { ...base, dialect: 'v1' }, { ...base, intent: 'b' }, { ...base, params: { n: 2 } }].map(planCacheKey));
    expect(keys.size).toBe(5);
    expect(planCacheKey({ ...base, params: { n: 10n } })).toBeUndefined();
  });
});
