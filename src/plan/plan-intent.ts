import { AppError, isAppError } from '../errors.js';
import type { IntentCatalog } from '../intent/catalog-types.js';
import { isValidName } from '../intent/names.js';
import { echoValue, resolveIntentStack, validateParams, type ParamFacts } from '../intent/params.js';
import type { Intent, ParamValues } from '../intent/schema.js';
import { hashCanonical } from '../canonical-json.js';
import { buildComposeArgv, buildComposePrefix } from './compose-argv.js';
import { resolveStep, type ResolvedCommand } from './resolve-step.js';
import type { ComposeDialect, Plan, PlanStep, StackFacts } from './types.js';

export interface PlanIntentInput {
  catalog: IntentCatalog;
  /** Intent name as the caller gave it. */
  intent: string;
  /** Caller-supplied parameters: a plain object (or undefined); validated here. */
  params: unknown;
  /** Facts about a stack by name; undefined when there is no such stack. */
  stacks: (name: string) => StackFacts | undefined;
  dialect: ComposeDialect;
}

export type UnnumberedStep = Omit<PlanStep, 'index'>;

/**
 * Intent + params + stack facts → the exact argv that would run. Pure: the same input always
 * gives the same plan and hash, so a dry run shows the real plan and approvals can bind to it.
 * Dependencies (depends_on, transitively, in catalog order) come first, each with its own
 * defaults and its own stack; then the intent's own steps.
 */
export function planIntent(input: PlanIntentInput): Plan {
  const intent = findIntent(input.catalog, input.intent);
  const facts = toParamFacts(input.stacks);
  const params = validateParams(intent, input.params, facts);
  const stack = resolveIntentStack(intent, params);
  const dialect = checkDialect(input.dialect);

  const steps: UnnumberedStep[] = [];
  for (const dep of input.catalog.dependencyOrder(intent.name)) {
    steps.push(...planDependency(input, intent.name, dep, facts));
  }
  steps.push(...planSteps(intent, params, lookupStack(stack, input.stacks), dialect));

  const numbered = steps.map((step, i): PlanStep => ({ index: i + 1, ...step }));
  const content: Record<string, string> = {};
  for (const name of new Set([stack, ...numbered.map((s) => s.stack)])) {
    const hash = input.stacks(name)?.contentHash;
    if (hash !== undefined) content[name] = hash;
  }
  const body = {
    intent: intent.name,
    stack,
    params,
    dialect,
    timeoutMs: checkTimeout(intent) * 1000,
    steps: numbered,
    ...(Object.keys(content).length > 0 ? { stackContent: content } : {}),
  };
  return { ...body, hash: hashCanonical(body) };
}

function findIntent(catalog: IntentCatalog, name: string): Intent {
  const loaded = isValidName(name) ? catalog.getIntent(name) : undefined;
  if (loaded === undefined) {
    throw new AppError('E_INTENT_NOT_FOUND', `no intent named ${echoValue(name)}`);
  }
  return loaded.intent;
}

function planDependency(input: PlanIntentInput, parent: string, name: string, facts: ParamFacts): UnnumberedStep[] {
  const dep = input.catalog.getIntent(name)?.intent;
  if (dep === undefined) {
    throw new AppError('E_INTENT_INVALID', `intent ${parent} depends on ${name}, which does not exist`);
  }
  for (const [param, decl] of Object.entries(dep.params)) {
    if (decl.default === undefined) {
      throw new AppError(
        'E_INTENT_INVALID',
        `intent ${parent} depends on ${name}, whose parameter ${param} has no default; dependencies run with their defaults`,
      );
    }
  }
  try {
    const params = validateParams(dep, undefined, facts);
    const stack = resolveIntentStack(dep, params);
    return planSteps(dep, params, lookupStack(stack, input.stacks), input.dialect);
  } catch (err) {
    if (!isAppError(err)) throw err;
    throw new AppError(err.code, `dependency ${name} of intent ${parent}: ${err.message}`, err.details);
  }
}

function planSteps(intent: Intent, params: ParamValues, facts: StackFacts, dialect: ComposeDialect): UnnumberedStep[] {
  return intent.steps.flatMap((step, i) =>
    resolveStep(step, { intent, params, facts, position: i + 1 }).map((resolved) => toPlanStep(intent.name, facts, dialect, resolved)),
  );
}

/** The step as the executor sees it; composite kinds keep their spec, argv shows their main command. */
export function toPlanStep(intent: string, facts: StackFacts, dialect: ComposeDialect, resolved: ResolvedCommand): UnnumberedStep {
  // Key order matters only to the goldens' readability; the hash sorts keys.
  const make = (argv: string[]): UnnumberedStep => ({ intent, stack: facts.name, action: resolved.action, argv, cwd: facts.dir, description: resolved.description });
  switch (resolved.kind) {
    case undefined:
      return make(buildComposeArgv(dialect, facts, resolved.command));
    case 'rollout': {
      // The `up` the rollout library will run (its buildUpArgv): the whole stack, or the named services.
      const services = resolved.rollout.services;
      const argv = services === undefined
        ? buildComposeArgv(dialect, facts, { action: 'up' })
        : [...buildComposePrefix(dialect, facts), 'up', '--detach', ...services];
      return { ...make(argv), kind: 'rollout', rollout: resolved.rollout };
    }
    case 'rollback':
      // The real argv adds `--file <override>` from the data dir, known only once the point is read.
      return { ...make([...buildComposePrefix(dialect, facts), 'up', '--detach']), kind: 'rollback', rollback: resolved.rollback };
  }
}

function toParamFacts(stacks: PlanIntentInput['stacks']): ParamFacts {
  return {
    services: (name) => stacks(name)?.services,
    stackExists: (name) => stacks(name) !== undefined,
  };
}

/** Stack facts come from discovery, not callers, but they land in argv, so they are checked too. */
export function lookupStack(name: string, stacks: PlanIntentInput['stacks']): StackFacts {
  if (!isValidName(name)) {
    throw new AppError('E_STACK_INVALID', `stack name ${echoValue(name)} does not match ^[a-z0-9][a-z0-9_.-]{0,62}$`);
  }
  const facts = stacks(name);
  if (facts === undefined) throw new AppError('E_STACK_NOT_FOUND', `no stack named ${name}`, { stack: name });
  if (facts.name !== name) {
    throw new AppError('E_STACK_INVALID', `stack ${name}: discovery returned facts for ${echoValue(facts.name)}`);
  }
  for (const path of [facts.dir, facts.composeFile, ...facts.envFiles]) {
    if (!isSafePath(path)) {
      throw new AppError('E_STACK_INVALID', `stack ${name}: path ${echoValue(path)} is not an absolute path without control characters`);
    }
  }
  return facts;
}

function isSafePath(path: unknown): boolean {
  // eslint-disable-next-line no-control-regex
  return typeof path === 'string' && path.startsWith('/') && !/[\u0000-\u001f\u007f]/.test(path);
}

export function checkDialect(dialect: unknown): ComposeDialect {
  if (dialect === 'v1' || dialect === 'v2') return dialect;
  throw new AppError('E_INTERNAL', `unknown compose dialect ${echoValue(dialect)}`);
}

function checkTimeout(intent: Intent): number {
  const seconds = intent.timeoutSeconds;
  if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > 3600) {
    throw new AppError('E_INTENT_INVALID', `intent ${intent.name}: timeoutSeconds must be an integer between 1 and 3600`);
  }
  return seconds;
}
