import { planIntent } from '../plan/plan-intent.js';
import type { Plan } from '../plan/types.js';
import { requireAccess } from './access.js';
import { planCacheKey } from './plan-cache.js';
import { findIntent } from './intents.js';
import type { AppContext, Caller } from './types.js';

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

export function planTarget(plan: Plan) {
  return {
    intent: plan.intent,
    stacks: [...new Set(plan.steps.map((s) => s.stack).concat(plan.stack))],
    actions: [...new Set(plan.steps.map((s) => s.action))],
  };
}

/** The exact argv a run would execute. Runs nothing. */
export async function planRun(ctx: AppContext, caller: Caller, req: { intent: string; params?: unknown }): Promise<Plan> {
  const plan = await buildPlan(ctx, req);
  requireAccess(ctx, caller, 'read', planTarget(plan));
  return plan;
}
