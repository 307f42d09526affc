import { REPLICAS_MAX } from '../intent/check-intent.js';
import { AppError, type ErrorCode } from '../errors.js';
import { isValidName } from '../intent/names.js';
import { echoValue } from '../intent/params.js';
import { LOGS_TAIL_MAX, ROLLOUT_HEALTH_TIMEOUT_DEFAULT, ROLLOUT_HEALTH_TIMEOUT_MAX, ROLLOUT_ID_PATTERN, type Intent, type ParamRef, type ParamValues, type Step } from '../intent/schema.js';
import { type Action } from '../model.js';
import type { ComposeCommand } from './compose-argv.js';
import { describeCommand, describeRollback, describeRollout } from './describe.js';
import type { RollbackSpec, RolloutSpec, StackFacts } from './types.js';

export { REPLICAS_MAX } from '../intent/check-intent.js';
export const LOGS_TAIL_DEFAULT = 100;

export interface StepContext {
  intent: Intent;
  params: ParamValues;
  facts: StackFacts;
  /** 1-based position of the step in the intent file, for messages. */
  position: number;
}

/**
 * What an intent step turned into: one compose invocation, or a composite operation (rollout,
 * rollback) that the executor hands to the rollout library.
 */
export type ResolvedCommand =
  | { action: Action; kind?: undefined; command: ComposeCommand; description: string }
  | { action: Action; kind: 'rollout'; description: string; rollout: RolloutSpec }
  | { action: Action; kind: 'rollback'; description: string; rollback: RollbackSpec };

type Source = 'intent' | 'param';
interface Resolved<T> {
  value: T;
  source: Source;
  param?: string;
}

/**
 * Turns one intent step into compose commands. Every value is checked again here, whether it came
 * from a caller or from the intent file, because this is the last stop before argv.
 */
export function resolveStep(step: Step, ctx: StepContext): ResolvedCommand[] {
  const stack = ctx.facts.name;
  const one = (command: ComposeCommand): ResolvedCommand[] => [
    { action: step.action, command, description: describeCommand(command, stack) },
  ];
  switch (step.action) {
    case 'status':
    case 'down':
      return one({ action: step.action });
    case 'logs': {
      const tail = step.tail === undefined ? LOGS_TAIL_DEFAULT : resolveInteger(step.tail, 'tail', 1, LOGS_TAIL_MAX, ctx);
      return one({ action: 'logs', tail, ...serviceField(step.service, ctx) });
    }
    case 'restart':
    case 'pull':
    case 'up':
      return one({ action: step.action, ...serviceField(step.service, ctx) });
    case 'scale': {
      const service = resolveService(step.service, ctx);
      const replicas = resolveInteger(step.replicas, 'replicas', 0, REPLICAS_MAX, ctx);
      return one({ action: 'scale', service, replicas });
    }
    case 'rollout': {
      const service = serviceField(step.service, ctx);
      const seconds = step.healthTimeoutSeconds ?? ROLLOUT_HEALTH_TIMEOUT_DEFAULT;
      checkLiteral(ctx, Number.isSafeInteger(seconds) && seconds >= 1 && seconds <= ROLLOUT_HEALTH_TIMEOUT_MAX,
        `healthTimeoutSeconds must be an integer between 1 and ${ROLLOUT_HEALTH_TIMEOUT_MAX}`);
      const rollout: RolloutSpec = {
        ...(service.service === undefined ? {} : { services: [service.service] }),
        pull: step.pull ?? true,
        healthTimeoutMs: seconds * 1000,
      };
      return [{ action: 'rollout', kind: 'rollout', description: describeRollout(rollout, stack), rollout }];
    }
    case 'rollback': {
      checkLiteral(ctx, step.to === undefined || ROLLOUT_ID_PATTERN.test(step.to), 'to must be a rollout id (^[a-z0-9][a-z0-9-]{0,63}$)');
      const rollback: RollbackSpec = { ...(step.to === undefined ? {} : { to: step.to }), healthTimeoutMs: ROLLOUT_HEALTH_TIMEOUT_DEFAULT * 1000 };
      return [{ action: 'rollback', kind: 'rollback', description: describeRollback(rollback, stack), rollback }];
    }
  }
}

/** Values written in the intent file, checked again although the schema already did. */
function checkLiteral(ctx: StepContext, ok: boolean, rule: string): void {
  if (!ok) throw new AppError('E_INTENT_INVALID', `${where(ctx)}: ${rule}`);
}

function serviceField(ref: string | ParamRef | undefined, ctx: StepContext): { service?: string } {
  return ref === undefined ? {} : { service: resolveService(ref, ctx) };
}

function resolveService(ref: string | ParamRef, ctx: StepContext): string {
  const r = resolveRef<string>(ref, 'service', ctx, ['service', 'enum'], (v): v is string => typeof v === 'string');
  if (!isValidName(r.value)) {
    stepFail(ctx, r, `service must match ^[a-z0-9][a-z0-9_.-]{0,62}$, got ${echoValue(r.value)}`);
  }
  if (!ctx.facts.services.includes(r.value)) {
    throw new AppError('E_SERVICE_UNKNOWN', `${where(ctx)}: stack ${ctx.facts.name} has no service ${r.value}`, {
      stack: ctx.facts.name,
      service: r.value,
    });
  }
  return r.value;
}

function resolveInteger(ref: number | ParamRef, slot: string, min: number, max: number, ctx: StepContext): number {
  const r = resolveRef<number>(ref, slot, ctx, ['integer'], (v): v is number => typeof v === 'number');
  if (!Number.isSafeInteger(r.value) || r.value < min || r.value > max) {
    stepFail(ctx, r, `${slot} must be an integer between ${min} and ${max}, got ${echoValue(r.value)}`);
  }
  return r.value === 0 ? 0 : r.value;
}

function resolveRef<T>(
  ref: T | ParamRef,
  slot: string,
  ctx: StepContext,
  types: readonly string[],
  isT: (v: unknown) => v is T,
): Resolved<T> {
  if (typeof ref !== 'object' || ref === null) {
    if (!isT(ref)) throw new AppError('E_INTENT_INVALID', `${where(ctx)}: ${slot} has the wrong type`);
    return { value: ref, source: 'intent' };
  }
  const name = (ref as ParamRef).param;
  const decl = ctx.intent.params[name];
  if (decl === undefined || !types.includes(decl.type)) {
    throw new AppError(
      'E_INTENT_INVALID',
      `${where(ctx)}: ${slot} refers to parameter ${echoValue(name)}, which is not a declared ${types.join(' or ')} parameter`,
    );
  }
  const value = ctx.params[name];
  if (!isT(value)) {
    throw new AppError('E_PARAM_INVALID', `${where(ctx)}: parameter ${name} has no usable value for ${slot}`, { param: name });
  }
  return { value, source: 'param', param: name };
}

function stepFail(ctx: StepContext, r: Resolved<unknown>, rule: string): never {
  const code: ErrorCode = r.source === 'param' ? 'E_PARAM_INVALID' : 'E_INTENT_INVALID';
  const via = r.param === undefined ? '' : ` (from parameter ${r.param})`;
  throw new AppError(code, `${where(ctx)}: ${rule}${via}`, r.param === undefined ? undefined : { param: r.param });
}

function where(ctx: StepContext): string {
  return `intent ${ctx.intent.name} step ${ctx.position}`;
}
