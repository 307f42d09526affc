import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { echoValue, validateParams, type ParamFacts } from './params.js';
import { INTENT_API_VERSION, type Intent } from './schema.js';

const facts: ParamFacts = {
  services: (stack) => ({ media: ['plex', 'jellyfin'], db: ['postgres'] })[stack],
  stackExists: (name) => name === 'media' || name === 'db',
};

function intent(params: Intent['params'], stack: Intent['stack'] = 'media'): Intent {
  return {
    apiVersion: INTENT_API_VERSION,
    kind: 'Intent',
    name: 'test-intent',
    stack,
    params,
    steps: [{ action: 'status' }],
    timeoutSeconds: 300,
    depends_on: [],
  };
}

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError, nothing was thrown');
}

const all = intent({
  replicas: { type: 'integer', min: 0, max: 10, default: 1 },
  service: { type: 'service', default: 'plex' },
  mode: { type: 'enum', values: ['fast', 'safe'], default: 'safe' },
});

describe('validateParams', () => {
  it('applies defaults when nothing is given', () => {
    expect(validateParams(all, undefined, facts)).toEqual({ replicas: 1, service: 'plex', mode: 'safe' });
    expect(validateParams(all, {}, facts)).toEqual({ replicas: 1, service: 'plex', mode: 'safe' });
  });

  it('accepts exact values, and integers as numbers or digit strings', () => {
    expect(validateParams(all, { replicas: '7', service: 'jellyfin', mode: 'fast' }, facts)).toEqual({
      replicas: 7,
      service: 'jellyfin',
      mode: 'fast',
    });
    expect(validateParams(all, { replicas: 10 }, facts).replicas).toBe(10);
    expect(Object.is(validateParams(intent({ n: { type: 'integer', min: -5, max: 5 } }), { n: '-0' }, facts).n, 0)).toBe(true);
  });

  it.each([null, [], 'replicas=2', 3, new Map(), new (class X {})()])('rejects non-plain-object params %#', (raw) => {
    expect(errorOf(() => validateParams(all, raw, facts)).code).toBe('E_PARAM_INVALID');
  });

  it('rejects unknown keys, naming the key and the declared ones', () => {
    const err = errorOf(() => validateParams(all, { replica: 2 }, facts));
    expect(err.code).toBe('E_PARAM_INVALID');
    expect(err.message).toContain('"replica"');
    expect(err.message).toContain('mode, replicas, service');
  });

  it('rejects __proto__ and other inherited-looking keys as unknown', () => {
    expect(errorOf(() => validateParams(all, JSON.parse('{"__proto__": {"x": 1}}'), facts)).code).toBe('E_PARAM_INVALID');
    expect(errorOf(() => validateParams(all, { constructor: 'x' }, facts)).message).toContain('unknown parameter');
  });

  it('reports a missing required parameter by name', () => {
    const err = errorOf(() => validateParams(intent({ replicas: { type: 'integer', min: 0, max: 3 } }), {}, facts));
    expect(err.code).toBe('E_PARAM_INVALID');
    expect(err.message).toBe('parameter replicas is required');
  });

  it.each([
    ['11', 'between 0 and 10'],
    [-1, 'between 0 and 10'],
    ['1.5', 'must be an integer'],
    [1.5, 'must be an integer'],
    ['+2', 'must be an integer'],
    [' 2', 'must be an integer'],
    ['2 ', 'must be an integer'],
    ['0x2', 'must be an integer'],
    ['1e1', 'must be an integer'],
    ['1234567890', 'must be an integer'],
    ['', 'must be an integer'],
    [Number.NaN, 'must be an integer'],
    [2 ** 53, 'must be an integer'],
    [true, 'must be an integer'],
  ])('rejects integer %j (%s)', (value, rule) => {
    const err = errorOf(() => validateParams(all, { replicas: value }, facts));
    expect(err.code).toBe('E_PARAM_INVALID');
    expect(err.message).toContain('parameter replicas');
    expect(err.message).toContain(rule);
  });

  it.each(['plex\n', ' plex', 'plex ', '-plex', '--project-directory=/', '$(id)', '`id`', '..', '../plex', 'plex;rm', '\u0440lex', 'PLEX', ''])(
    'rejects malformed service %j without trimming it',
    (value) => {
      const err = errorOf(() => validateParams(all, { service: value }, facts));
      expect(err.code).toBe('E_PARAM_INVALID');
      expect(err.message).toContain('parameter service must match');
    },
  );

  it('rejects a well-formed service the stack does not have', () => {
    const err = errorOf(() => validateParams(all, { service: 'postgres' }, facts));
    expect(err.code).toBe('E_SERVICE_UNKNOWN');
    expect(err.message).toContain('services: plex, jellyfin');
  });

  it('checks services against the stack chosen by a stack parameter', () => {
    const byStack = intent({ stack: { type: 'stack' }, service: { type: 'service' } }, { param: 'stack' });
    expect(validateParams(byStack, { stack: 'db', service: 'postgres' }, facts)).toEqual({ stack: 'db', service: 'postgres' });
    expect(errorOf(() => validateParams(byStack, { stack: 'db', service: 'plex' }, facts)).code).toBe('E_SERVICE_UNKNOWN');
    expect(errorOf(() => validateParams(byStack, { stack: 'nope', service: 'plex' }, facts)).code).toBe('E_STACK_NOT_FOUND');
    expect(errorOf(() => validateParams(byStack, { stack: '../db', service: 'plex' }, facts)).code).toBe('E_PARAM_INVALID');
  });

  it('rejects enum values that are not listed, even when well-formed', () => {
    const err = errorOf(() => validateParams(all, { mode: 'turbo' }, facts));
    expect(err.code).toBe('E_PARAM_INVALID');
    expect(err.message).toContain('must be one of: fast, safe');
    expect(errorOf(() => validateParams(all, { mode: 'FAST' }, facts)).code).toBe('E_PARAM_INVALID');
  });

  it('blames the intent, not the caller, for a bad default', () => {
    const bad = intent({ replicas: { type: 'integer', min: 0, max: 3, default: 9 } });
    const err = errorOf(() => validateParams(bad, {}, facts));
    expect(err.code).toBe('E_INTENT_INVALID');
    expect(err.message).toContain('default of parameter replicas');
  });

  it('never echoes more than 64 characters of a bad value, and escapes control characters', () => {
    const long = `$(${'x'.repeat(500)})`;
    const err = errorOf(() => validateParams(all, { service: long }, facts));
    expect(err.message).not.toContain('x'.repeat(65));
    expect(err.message).toContain('(503 characters)');
    const ctl = errorOf(() => validateParams(all, { service: 'a\nb\u001b[31m' }, facts));
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must not appear
    expect(ctl.message).not.toMatch(/[\u0000-\u001f]/);
    expect(ctl.message).toContain('"a\\u000ab\\u001b[31m"');
  });
});

describe('echoValue', () => {
  it('shows look-alike characters as escapes', () => {
    expect(echoValue('\u0440lex')).toBe('"\\u0440lex"');
    expect(echoValue('a"b\\')).toBe('"a\\"b\\\\"');
    expect(echoValue('\u{1F600}')).toBe('"\\u{1f600}"');
    expect(echoValue(undefined)).toBe('undefined');
    expect(echoValue(true)).toBe('a boolean');
  });
});
