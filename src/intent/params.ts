import { AppError, type ErrorCode } from '../errors.js';
import { isValidName } from './names.js';
import type { Intent, Param, ParamValues } from './schema.js';

/** What parameter validation needs to know about the world; supplied by the caller, never looked up here. */
export interface ParamFacts {
  /** Service names in the stack's compose file, or undefined when there is no such stack. */
  services(stack: string): string[] | undefined;
  stackExists(name: string): boolean;
}

/** CLI and chat pass integers as text; nine digits keep every accepted value a safe integer. */
const INTEGER_TEXT = /^-?[0-9]{1,9}$/;
const ECHO_MAX = 64;

/**
 * Validates caller-supplied parameter values against an intent's declarations.
 * Values are checked exactly as given: nothing is trimmed, case-folded or normalised, because a
 * value that needs fixing is a value someone may be using to smuggle an option or a path.
 * Defaults from the intent file go through the same checks (the compose file may have changed).
 */
export function validateParams(intent: Intent, raw: unknown, facts: ParamFacts): ParamValues {
  const given = readPlainObject(raw);
  const declared = Object.keys(intent.params).sort();
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(intent.params, key)) {
      const list = declared.length > 0 ? declared.join(', ') : '(none)';
      throw new AppError('E_PARAM_INVALID', `unknown parameter ${echoValue(key)}; intent ${intent.name} declares: ${list}`, {
        param: truncate(key),
        declared,
      });
    }
  }

  const values: ParamValues = {};
  // Stacks first: a service parameter is checked against the stack the intent resolves to.
  const ordered = [...declared].sort((a, b) => rank(intent.params[a]) - rank(intent.params[b]));
  for (const name of ordered) {
    const param = intent.params[name] as Param;
    const supplied = Object.hasOwn(given, name) && given[name] !== undefined;
    const value = supplied ? given[name] : param.default;
    if (value === undefined) {
      throw new AppError('E_PARAM_INVALID', `parameter ${name} is required`, { param: name });
    }
    const check: Check = { intent, name, param, value, fromDefault: !supplied, values, facts };
    values[name] = checkValue(check);
  }
  return values;
}

interface Check {
  intent: Intent;
  name: string;
  param: Param;
  value: unknown;
  fromDefault: boolean;
  values: ParamValues;
  facts: ParamFacts;
}

function checkValue(c: Check): string | number {
  switch (c.param.type) {
    case 'integer':
      return checkInteger(c, c.param.min, c.param.max);
    case 'stack': {
      const stack = checkName(c);
      if (!c.facts.stackExists(stack)) {
        throw new AppError('E_STACK_NOT_FOUND', `${label(c)}: no stack named ${stack}`, { param: c.name, stack });
      }
      return stack;
    }
    case 'service':
      return checkService(c);
    case 'enum': {
      const value = checkName(c);
      if (!c.param.values.includes(value)) {
        fail(c, `must be one of: ${c.param.values.join(', ')}`);
      }
      return value;
    }
  }
}

function checkInteger(c: Check, min: number, max: number): number {
  let n: number;
  if (typeof c.value === 'number' && Number.isSafeInteger(c.value)) {
    n = c.value;
  } else if (typeof c.value === 'string' && INTEGER_TEXT.test(c.value)) {
    n = Number(c.value);
  } else {
    return fail(c, `must be an integer (digits only, optional leading -), got ${echoValue(c.value)}`);
  }
  // -0 would hash and print differently from 0 in some places; there is one zero.
  n = n === 0 ? 0 : n;
  if (n < min || n > max) fail(c, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function checkService(c: Check): string {
  const service = checkName(c);
  const stack = resolveIntentStack(c.intent, c.values);
  const services = c.facts.services(stack);
  if (services === undefined) {
    throw new AppError('E_STACK_NOT_FOUND', `no stack named ${stack}`, { stack });
  }
  if (!services.includes(service)) {
    const known = services.filter(isValidName).join(', ') || '(none)';
    throw new AppError('E_SERVICE_UNKNOWN', `${label(c)}: stack ${stack} has no service ${service}; services: ${known}`, {
      param: c.name,
      stack,
      service,
    });
  }
  return service;
}

function checkName(c: Check): string {
  if (!isValidName(c.value)) {
    fail(c, `must match ^[a-z0-9][a-z0-9_.-]{0,62}$ exactly, got ${echoValue(c.value)}`);
  }
  return c.value;
}

/** The intent's stack name once stack parameters are known; throws if the intent points nowhere. */
export function resolveIntentStack(intent: Intent, values: ParamValues): string {
  if (typeof intent.stack === 'string') return intent.stack;
  const ref = intent.stack.param;
  const param = intent.params[ref];
  const value = values[ref];
  if (param?.type !== 'stack' || typeof value !== 'string') {
    throw new AppError('E_INTENT_INVALID', `intent ${intent.name}: stack refers to ${ref}, which is not a stack parameter`);
  }
  return value;
}

function fail(c: Check, rule: string): never {
  // A bad default is the intent author's mistake, not the caller's.
  const code: ErrorCode = c.fromDefault ? 'E_INTENT_INVALID' : 'E_PARAM_INVALID';
  throw new AppError(code, `${label(c)} ${rule}`, { param: c.name });
}

function label(c: Check): string {
  return c.fromDefault ? `intent ${c.intent.name}: default of parameter ${c.name}` : `parameter ${c.name}`;
}

function rank(param: Param | undefined): number {
  return param?.type === 'stack' ? 0 : 1;
}

function readPlainObject(raw: unknown): Record<string, unknown> {
  if (raw === undefined) return {};
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const proto = Object.getPrototypeOf(raw) as unknown;
    if (proto === Object.prototype || proto === null) return raw as Record<string, unknown>;
  }
  throw new AppError('E_PARAM_INVALID', `parameters must be an object of name: value, got ${describeType(raw)}`);
}

function describeType(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object that is not a plain object' : `a ${typeof value}`;
}

function truncate(text: string): string {
  return text.length > ECHO_MAX ? text.slice(0, ECHO_MAX) : text;
}

/**
 * A bad value, safe to put in a message: at most 64 characters, quoted, with control characters
 * and anything outside printable ASCII escaped, so look-alikes (Cyrillic р) show up as \u0440
 * and nothing can move a terminal cursor or forge a log line.
 */
export function echoValue(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'a non-finite number';
  if (typeof value !== 'string') return describeType(value);
  const cut = value.length > ECHO_MAX;
  let out = '';
  for (const ch of truncate(value)) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\u{${code.toString(16)}}`;
  }
  return `"${out}"${cut ? `… (${value.length} characters)` : ''}`;
}
