import { AppError } from '../errors.js';
import { paramsJsonSchema } from '../intent/params-schema.js';
import type { LoadedIntent } from '../intent/schema.js';
import type { Action } from '../model.js';
import { canAccess, requireAccess } from './access.js';
import type { AppContext } from './types.js';
import type { Caller, IntentDetail, IntentSummary } from '../model.js';

/** The intent's own stack, or `*` when the caller picks it through a `stack` parameter. */
export function intentStack(li: LoadedIntent): string {
  return typeof li.intent.stack === 'string' ? li.intent.stack : '*';
}

export function intentActions(li: LoadedIntent): Action[] {
  return [...new Set(li.intent.steps.map((s) => s.action))];
}

function summarize(li: LoadedIntent): IntentSummary {
  const { intent } = li;
  return {
    name: intent.name,
    description: intent.description ?? null,
    stack: intentStack(li),
    actions: intentActions(li),
    dependsOn: intent.depends_on,
    approval: intent.approval ?? null,
    deprecated: li.deprecated ?? null,
  };
}

const readTarget = (li: LoadedIntent) => ({ intent: li.intent.name, stacks: [intentStack(li)], actions: intentActions(li) });

export function listIntents(ctx: AppContext, caller: Caller): IntentSummary[] {
  return ctx.catalog.list()
    .filter((li) => canAccess(ctx, caller, 'read', readTarget(li)))
    .map(summarize);
}

export function findIntent(ctx: AppContext, name: string): LoadedIntent {
  const li = ctx.catalog.getIntent(name);
  if (!li) throw new AppError('E_INTENT_NOT_FOUND', `no intent named ${JSON.stringify(name.slice(0, 64))}; see the list of intents`);
  return li;
}

export async function describeIntent(ctx: AppContext, caller: Caller, name: string): Promise<IntentDetail> {
  const li = findIntent(ctx, name);
  requireAccess(ctx, caller, 'read', readTarget(li));
  await ctx.stacks.refresh();
  const stack = typeof li.intent.stack === 'string' ? ctx.stacks.find(li.intent.stack) : undefined;
  return {
    ...summarize(li),
    file: li.file,
    timeoutSeconds: li.intent.timeoutSeconds,
    paramsSchema: paramsJsonSchema(li.intent, {
      ...(stack ? { services: stack.services } : {}),
      stacks: ctx.stacks.list().map((s) => s.name),
    }),
  };
}
