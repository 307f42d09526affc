import { planIntent } from '../plan/plan-intent.js';
import type { Plan } from '../plan/types.js';
import { requireAccess } from './access.js';
import { planCacheKey } from './plan-cache.js';
import { findIntent } from './intents.js';
import type { AppContext } from './types.js';
import type { Caller } from '../model.js';

/** Builds the plan without authorising it; callers decide which access mode applies. */
export async function buildPlan(ctx: AppContext, req: { intent: string; params?: unknown }): Promise<Plan> {
  findIntent(ctx, req.intent);
  await ctx.stacks.refresh();
  // Without a compose CLI nothing can run, but a plan is still worth showing; v2 is the default today.
  const dialect = ctx.dialect ?? 'v2';
  const key = planCacheKey({ intent: req.intent, params: req.params, dialect, stacksVersion: ctx.stacks.version() });
  const cached = key === undefined ? undefined : ctx.plans.get(key);
  if (cached) return cached;
  const plan = planIntent({
    catalog: ctx.catalog,
    intent: req.intent,
    params: req.params ?? {},
    stacks: (name) => ctx.stacks.find(name),
    dialect,
  });
  return key === undefined ? plan : ctx.plans.set(key, plan);
}

export interface PlanTarget {
  readonly intent: string;
  readonly stacks: readonly string[];
  readonly actions: readonly Plan['steps'][number]['action'][];
}

const targets = new WeakMap<Plan, PlanTarget>();

/** What a plan touches, for access checks and stack locks; worked out once per cached plan. */
export function planTarget(plan: Plan): PlanTarget {
  const known = targets.get(plan);
  if (known) return known;
  const target: PlanTarget = Object.freeze({
    intent: plan.intent,
    stacks: Object.freeze([...new Set(plan.steps.map((s) => s.stack).concat(plan.stack))]),
    actions: Object.freeze([...new Set(plan.steps.map((s) => s.action))]),
  });
  // Only cached plans are frozen, and only they come back for another request.
  if (Object.isFrozen(plan)) targets.set(plan, target);
  return target;
}

/** The exact argv a run would execute. Runs nothing. */
export async function planRun(ctx: AppContext, caller: Caller, req: { intent: string; params?: unknown }): Promise<Plan> {
  const plan = await buildPlan(ctx, req);
  requireAccess(ctx, caller, 'read', planTarget(plan));
  return plan;
}
