import { planIntent } from '../plan/plan-intent.js';
import type { Plan } from '../plan/types.js';
import { requireAccess } from './access.js';
import { findIntent } from './intents.js';
import type { AppContext, Caller } from './types.js';

/** Builds the plan without authorising it; callers decide which access mode applies. */
export async function buildPlan(ctx: AppContext, req: { intent: string; params?: unknown }): Promise<Plan> {
  findIntent(ctx, req.intent);
  await ctx.stacks.refresh();
  return planIntent({
    catalog: ctx.catalog,
    intent: req.intent,
    params: req.params ?? {},
    stacks: (name) => ctx.stacks.find(name),
    // Without a compose CLI nothing can run, but a plan is still worth showing; v2 is the default today.
    dialect: ctx.dialect ?? 'v2',
  });
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
