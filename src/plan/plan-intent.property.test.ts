import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryCatalog, lookupStack, makeIntent, STACKS } from '../../test/fixtures/plans/cases.js';
import { AppError } from '../errors.js';
import { planIntent } from './plan-intent.js';
import type { Plan } from './types.js';

/** Values a caller might send to smuggle an option, a command or a path into argv. */
const NASTY = [
  '$(id)', '`id`', 'a;b', 'a\nb', '-x', '--project-directory=/', '../x', '\u0440lex', 'plex ', ' plex', 'PLEX',
  'plex\n', 'plex\u0000', '-plex', '..', 'plex;rm', '--scale', 'plex=2', '', '\u200bplex', 'ｐlex', '0x1', '1e2', ' 1',
];
const ALLOWED_SERVICES = STACKS['stack-media']!.services;

/** Arbitrary text, with nasty and allowed values mixed in often enough to matter. */
const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(...NASTY),
  fc.constantFrom(...ALLOWED_SERVICES, ...Object.keys(STACKS), 'fast', 'safe', '0', '7', '10', '-1', '11'),
);
/** Whatever JSON or a CLI could hand us. */
const anyValue = fc.oneof(anyText, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }));

const intents = [
  makeIntent({
    name: 'svc',
    stack: 'stack-media',
    params: { service: { type: 'service' } },
    steps: [{ action: 'restart', service: { param: 'service' } }],
  }),
  makeIntent({
    name: 'stk',
    stack: { param: 'stack' },
    params: { stack: { type: 'stack' } },
    steps: [{ action: 'status' }],
  }),
  makeIntent({
    name: 'enm',
    stack: 'stack-media',
    params: { mode: { type: 'enum', values: ['fast', 'safe'] } },
    steps: [{ action: 'status' }],
  }),
  makeIntent({
    name: 'int',
    stack: 'stack-media',
    params: { replicas: { type: 'integer', min: 0, max: 10 } },
    steps: [{ action: 'scale', service: 'plex', replicas: { param: 'replicas' } }],
  }),
];
const catalog = createMemoryCatalog(intents);

/** The plan, or the AppError; anything else thrown (a TypeError, say) fails the property. */
function tryPlan(intent: string, params: unknown): Plan | AppError {
  try {
    return planIntent({ catalog, intent, params, stacks: lookupStack, dialect: 'v2' });
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
}

describe('planIntent properties: only exactly allowed values ever reach a plan', () => {
  it('service parameters', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        const result = tryPlan('svc', { service: value });
        if (typeof value === 'string' && ALLOWED_SERVICES.includes(value)) {
          expect(result).not.toBeInstanceOf(AppError);
          expect((result as Plan).steps[0]?.argv.at(-1)).toBe(value);
        } else {
          expect(result).toBeInstanceOf(AppError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('stack parameters', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        const result = tryPlan('stk', { stack: value });
        if (typeof value === 'string' && Object.hasOwn(STACKS, value)) {
          expect((result as Plan).stack).toBe(value);
          expect((result as Plan).steps[0]?.argv).toContain(value);
        } else {
          expect(result).toBeInstanceOf(AppError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('enum parameters', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        const result = tryPlan('enm', { mode: value });
        if (value === 'fast' || value === 'safe') expect((result as Plan).params.mode).toBe(value);
        else expect(result).toBeInstanceOf(AppError);
      }),
      { numRuns: 2000 },
    );
  });

  it('integer parameters', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        const result = tryPlan('int', { replicas: value });
        const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?[0-9]{1,9}$/.test(value) ? Number(value) : Number.NaN;
        if (Number.isSafeInteger(n) && n >= 0 && n <= 10) {
          expect((result as Plan).steps[0]?.argv).toContain(`plex=${n}`);
        } else {
          expect(result).toBeInstanceOf(AppError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('unknown parameter keys, whatever their value', () => {
    fc.assert(
      fc.property(anyText.filter((k) => k !== 'service'), anyValue, (key, value) => {
        const result = tryPlan('svc', { service: 'plex', [key]: value });
        expect(result).toBeInstanceOf(AppError);
        expect((result as AppError).code).toBe('E_PARAM_INVALID');
      }),
    );
  });

  it('error messages never carry control characters or more than 64 characters of the value', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1 }), (value) => {
        const result = tryPlan('svc', { service: value });
        if (result instanceof AppError) {
          // eslint-disable-next-line no-control-regex -- control characters are exactly what must not appear
          expect(result.message).not.toMatch(/[\u0000-\u001f\u007f]/);
          expect(result.message.length).toBeLessThan(400);
        }
      }),
    );
  });
});

describe('planIntent properties: the plan hash', () => {
  it('is stable for equal input and differs when a parameter differs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 10 }), (a, b) => {
        const pa = tryPlan('int', { replicas: a }) as Plan;
        const again = tryPlan('int', { replicas: String(a) }) as Plan;
        const pb = tryPlan('int', { replicas: b }) as Plan;
        expect(again.hash).toBe(pa.hash);
        expect(pb.hash === pa.hash).toBe(a === b);
      }),
    );
  });
});
