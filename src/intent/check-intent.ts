import { LOGS_TAIL_MAX } from './schema.js';
import type { Intent, Param, ParamRef, Step } from './schema.js';

/** A rule broken by a schema-valid intent; `path` points into the intent document. */
export interface IntentProblem {
  path: (string | number)[];
  message: string;
}

export const REPLICAS_MAX = 100;

type SlotKind = 'stack' | 'service' | 'replicas' | 'tail';

interface Slot { kind: SlotKind; path: (string | number)[]; value: unknown }

const SLOT_PARAM_TYPE: Record<SlotKind, Param['type']> = {
  stack: 'stack',
  service: 'service',
  replicas: 'integer',
  tail: 'integer',
};

const SLOT_BOUNDS: Partial<Record<SlotKind, { min: number; max: number }>> = {
  replicas: { min: 0, max: REPLICAS_MAX },
  tail: { min: 0, max: LOGS_TAIL_MAX },
};

/**
 * Checks what the schema cannot: parameter references resolve, their types fit the slot they
 * fill, and every bound is one the planner can honour. Run on every intent, whatever its source.
 */
export function checkIntent(intent: Intent): IntentProblem[] {
  const problems: IntentProblem[] = [];
  for (const [name, param] of Object.entries(intent.params)) problems.push(...checkParam(name, param));
  for (const slot of listSlots(intent)) problems.push(...checkSlot(intent, slot));
  return problems;
}

function listSlots(intent: Intent): Slot[] {
  const slots: Slot[] = [{ kind: 'stack', path: ['stack'], value: intent.stack }];
  intent.steps.forEach((step: Step, i) => {
    const at = (key: string): (string | number)[] => ['steps', i, key];
    if ('service' in step && step.service !== undefined) slots.push({ kind: 'service', path: at('service'), value: step.service });
    if ('replicas' in step) slots.push({ kind: 'replicas', path: at('replicas'), value: step.replicas });
    if ('tail' in step && step.tail !== undefined) slots.push({ kind: 'tail', path: at('tail'), value: step.tail });
  });
  return slots;
}

function isRef(value: unknown): value is ParamRef {
  return typeof value === 'object' && value !== null && 'param' in value;
}

function checkSlot(intent: Intent, slot: Slot): IntentProblem[] {
  const bounds = SLOT_BOUNDS[slot.kind];
  if (!isRef(slot.value)) {
    if (bounds && typeof slot.value === 'number' && (slot.value < bounds.min || slot.value > bounds.max)) {
      return [{ path: slot.path, message: `${slot.kind} must be between ${bounds.min} and ${bounds.max}, got ${slot.value}` }];
    }
    return [];
  }
  const refPath = [...slot.path, 'param'];
  const name = slot.value.param;
  const param = intent.params[name];
  if (!param) {
    const declared = Object.keys(intent.params);
    const hint = declared.length > 0 ? `declared: ${declared.join(', ')}` : 'this intent declares no params';
    return [{ path: refPath, message: `unknown param "${name}" (${hint})` }];
  }
  const wanted = SLOT_PARAM_TYPE[slot.kind];
  if (param.type !== wanted) {
    return [{ path: refPath, message: `param "${name}" is of type ${param.type}, but ${slot.kind} needs a param of type ${wanted}` }];
  }
  if (bounds && param.type === 'integer' && (param.min < bounds.min || param.max > bounds.max)) {
    return [{
      path: ['params', name],
      message: `param "${name}" fills ${slot.kind}, so its range must lie within ${bounds.min}..${bounds.max} (got ${param.min}..${param.max})`,
    }];
  }
  return [];
}

function checkParam(name: string, param: Param): IntentProblem[] {
  const at = (key: string): (string | number)[] => ['params', name, key];
  if (param.type === 'integer') {
    if (param.min > param.max) return [{ path: at('min'), message: `min (${param.min}) is greater than max (${param.max})` }];
    if (param.default !== undefined && (param.default < param.min || param.default > param.max)) {
      return [{ path: at('default'), message: `default ${param.default} is outside ${param.min}..${param.max}` }];
    }
  }
  if (param.type === 'enum') {
    const seen = new Set<string>();
    for (const [i, v] of param.values.entries()) {
      if (seen.has(v)) return [{ path: ['params', name, 'values', i], message: `duplicate value "${v}"` }];
      seen.add(v);
    }
    if (param.default !== undefined && !seen.has(param.default)) {
      return [{ path: at('default'), message: `default "${param.default}" is not one of ${param.values.join(', ')}` }];
    }
  }
  return [];
}
