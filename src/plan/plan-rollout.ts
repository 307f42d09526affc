import { AppError } from '../errors.js';
import { isValidName } from '../intent/names.js';
import { echoValue } from '../intent/params.js';
import { ROLLOUT_HEALTH_TIMEOUT_MAX, ROLLOUT_ID_PATTERN, type ParamValues } from '../intent/schema.js';
import { hashCanonical } from '../canonical-json.js';
import { describeRollback, describeRollout } from './describe.js';
import { checkDialect, lookupStack, toPlanStep, type UnnumberedStep } from './plan-intent.js';
import type { ComposeDialect, Plan, StackFacts } from './types.js';

/** The intent name ad-hoc rollouts and rollbacks run under: RBAC roles grant them by these names. */
export const ROLLOUT_INTENT = 'rollout';
export const ROLLBACK_INTENT = 'rollback';

interface AdHocInput {
  stack: string;
  stacks: (name: string) => StackFacts | undefined;
  dialect: ComposeDialect;
  healthTimeoutSeconds: number;
  /** Whole-run timeout. */
  timeoutSeconds: number;
}

export interface PlanRolloutInput extends AdHocInput {
  pull: boolean;
  services?: readonly string[];
}

export interface PlanRollbackInput extends AdHocInput {
  to?: string;
}

/**
 * A rollout without an intent file (`oresi rollout`, POST /v1/stacks/:name/rollout): one composite
 * step on one stack, hashed like any plan so the audit record names exactly what was asked.
 */
export function planRollout(input: PlanRolloutInput): Plan {
  const facts = lookupStack(input.stack, input.stacks);
  const services = input.services === undefined ? undefined : checkServiceList(facts, input.services);
  const rollout = { ...(services === undefined ? {} : { services }), pull: input.pull, healthTimeoutMs: checkHealth(input.healthTimeoutSeconds) * 1000 };
  const step = toPlanStep(ROLLOUT_INTENT, facts, input.dialect, {
    action: 'rollout', kind: 'rollout', description: describeRollout(rollout, facts.name), rollout,
  });
  const params: ParamValues = { pull: input.pull ? 'yes' : 'no', ...(services === undefined ? {} : { services: services.join(',') }) };
  return finish(ROLLOUT_INTENT, facts, input, params, step);
}

/** A manual rollback to a recorded point (`oresi rollback`, POST /v1/stacks/:name/rollback). */
export function planRollback(input: PlanRollbackInput): Plan {
  const facts = lookupStack(input.stack, input.stacks);
  if (input.to !== undefined && !ROLLOUT_ID_PATTERN.test(input.to)) {
    throw new AppError('E_PARAM_INVALID', `to must be a rollout id (^[a-z0-9][a-z0-9-]{0,63}$), got ${echoValue(input.to)}`);
  }
  const rollback = { ...(input.to === undefined ? {} : { to: input.to }), healthTimeoutMs: checkHealth(input.healthTimeoutSeconds) * 1000 };
  const step = toPlanStep(ROLLBACK_INTENT, facts, input.dialect, {
    action: 'rollback', kind: 'rollback', description: describeRollback(rollback, facts.name), rollback,
  });
  return finish(ROLLBACK_INTENT, facts, input, input.to === undefined ? {} : { to: input.to }, step);
}

function finish(intent: string, facts: StackFacts, input: AdHocInput, params: ParamValues, step: UnnumberedStep): Plan {
  const seconds = input.timeoutSeconds;
  if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > 3600) {
    throw new AppError('E_PARAM_INVALID', `the rollout timeout must be an integer between 1 and 3600 seconds, got ${echoValue(seconds)}`);
  }
  const body = {
    intent,
    stack: facts.name,
    params,
    dialect: checkDialect(input.dialect),
    timeoutMs: seconds * 1000,
    steps: [{ index: 1, ...step }],
    ...(facts.contentHash === undefined ? {} : { stackContent: { [facts.name]: facts.contentHash } }),
  };
  return { ...body, hash: hashCanonical(body) };
}

function checkHealth(seconds: number): number {
  if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > ROLLOUT_HEALTH_TIMEOUT_MAX) {
    throw new AppError('E_PARAM_INVALID', `the health timeout must be an integer between 1 and ${ROLLOUT_HEALTH_TIMEOUT_MAX} seconds, got ${echoValue(seconds)}`);
  }
  return seconds;
}

/** Caller-supplied service names: valid names the stack declares, deduplicated, at least one. */
function checkServiceList(facts: StackFacts, services: readonly string[]): string[] {
  if (services.length === 0) throw new AppError('E_PARAM_INVALID', `an empty service list for stack ${facts.name}; omit it to roll out every service`);
  if (services.length > 100) throw new AppError('E_PARAM_INVALID', 'at most 100 services per rollout');
  const out: string[] = [];
  for (const s of services) {
    if (!isValidName(s)) throw new AppError('E_PARAM_INVALID', `service must match ^[a-z0-9][a-z0-9_.-]{0,62}$, got ${echoValue(s)}`);
    if (!facts.services.includes(s)) {
      throw new AppError('E_SERVICE_UNKNOWN', `stack ${facts.name} has no service ${s}`, { stack: facts.name, service: s });
    }
    if (!out.includes(s)) out.push(s);
  }
  return out;
}
