import { describe, expect, it } from 'vitest';
import { createMemoryCatalog, INTENTS, LEGACY_SCALE_STACK, lookupStack, makeIntent, STACKS } from '../../test/fixtures/plans/cases.js';
import { AppError } from '../errors.js';
import type { Intent } from '../intent/schema.js';
import { hashCanonical } from '../canonical-json.js';
import { planIntent, type PlanIntentInput } from './plan-intent.js';
import type { StackFacts } from './types.js';

const catalog = createMemoryCatalog(INTENTS);

function plan(intent: string, params?: unknown, over: Partial<PlanIntentInput> = {}) {
  return planIntent({ catalog, intent, params, stacks: lookupStack, dialect: 'v2', ...over });
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

/** Plans one hand-built intent (bypassing the zod schema, as a buggy loader might). */
function planOne(intent: Intent, params?: unknown, stacks: PlanIntentInput['stacks'] = lookupStack) {
  return planIntent({ catalog: createMemoryCatalog([intent]), intent: intent.name, params, stacks, dialect: 'v2' });
}

describe('planIntent: the legacy scale_stack intent', () => {
  const tail = ['up', '--detach', '--no-deps', '--no-recreate', '--scale', 'plex=2', 'plex'];
  const files = ['--project-directory', '/opt/stacks/stack-media', '--file', '/opt/stacks/stack-media/compose.yaml'];

  it('plans docker compose (v2) scale of plex to 2', () => {
    const p = planOne(LEGACY_SCALE_STACK);
    expect(p.steps).toHaveLength(1);
    expect(p.steps[0]?.argv).toEqual([
      'docker', 'compose', '--project-name', 'stack-media', ...files,
      '--env-file', '/opt/stacks/global.env', '--env-file', '/opt/stacks/stack-media/.env', ...tail,
    ]);
    expect(p.steps[0]).toMatchObject({ index: 1, action: 'scale', cwd: '/opt/stacks/stack-media', description: 'scale plex to 2 in stack-media' });
  });

  it('plans the docker-compose (v1) equivalent', () => {
    const p = planIntent({ catalog, intent: 'scale_stack', params: {}, stacks: lookupStack, dialect: 'v1' });
    expect(p.steps[0]?.argv).toEqual([
      'docker-compose', '--project-name', 'stack-media', ...files, '--env-file', '/opt/stacks/stack-media/.env', ...tail,
    ]);
  });
});

describe('planIntent: resolution', () => {
  it('rejects an unknown intent, echoing the name safely', () => {
    expect(errorOf(() => plan('nope')).code).toBe('E_INTENT_NOT_FOUND');
    const err = errorOf(() => plan('a\u001b[2Jb'));
    expect(err.code).toBe('E_INTENT_NOT_FOUND');
    expect(err.message).not.toContain('\u001b');
  });

  it('rejects a well-formed unknown stack', () => {
    expect(errorOf(() => plan('restart-service', { stack: 'stack-nope', service: 'plex' })).code).toBe('E_STACK_NOT_FOUND');
    const missing = makeIntent({ name: 'ghost', stack: 'stack-ghost', steps: [{ action: 'status' }] });
    expect(errorOf(() => planOne(missing)).code).toBe('E_STACK_NOT_FOUND');
  });

  it('rejects unknown parameter keys', () => {
    const err = errorOf(() => plan('scale', { service: 'plex', replicas: 1, force: true }));
    expect(err.code).toBe('E_PARAM_INVALID');
    expect(err.message).toContain('"force"');
  });

  it('puts dependencies first, each on its own stack, then the intent, numbered 1..n', () => {
    const p = plan('media-maintenance');
    expect(p.steps.map((s) => [s.index, s.intent, s.stack, s.action])).toEqual([
      [1, 'db-pull', 'stack-db', 'pull'],
      [2, 'db-up', 'stack-db', 'up'],
      [3, 'media-maintenance', 'stack-media', 'pull'],
      [4, 'media-maintenance', 'stack-media', 'down'],
      [5, 'media-maintenance', 'stack-media', 'up'],
      [6, 'media-maintenance', 'stack-media', 'status'],
    ]);
    expect(p.timeoutMs).toBe(900_000);
    expect(p.stack).toBe('stack-media');
  });

  it('refuses a dependency with a required parameter and no default', () => {
    const needy = makeIntent({ name: 'needy', stack: 'stack-db', params: { n: { type: 'integer', min: 0, max: 3 } }, steps: [{ action: 'status' }] });
    const top = makeIntent({ name: 'top', stack: 'stack-media', steps: [{ action: 'status' }], depends_on: ['needy'] });
    const c = createMemoryCatalog([needy, top]);
    const err = errorOf(() => planIntent({ catalog: c, intent: 'top', params: {}, stacks: lookupStack, dialect: 'v2' }));
    expect(err.code).toBe('E_INTENT_INVALID');
    expect(err.message).toContain('needy');
  });

  it('refuses a dependency the catalog does not hold', () => {
    const top = makeIntent({ name: 'top', stack: 'stack-media', steps: [{ action: 'status' }], depends_on: ['gone'] });
    expect(errorOf(() => planOne(top)).code).toBe('E_INTENT_INVALID');
  });

  it('rollout becomes one composite step: pull on, 120s health by default, argv is its up', () => {
    const p = plan('bare-rollout');
    expect(p.steps).toHaveLength(1);
    expect(p.steps[0]).toMatchObject({ action: 'rollout', kind: 'rollout', rollout: { pull: true, healthTimeoutMs: 120_000 } });
    expect(p.steps[0]?.rollout?.services).toBeUndefined();
    expect(p.steps[0]?.argv.slice(8)).toEqual(['up', '--detach', '--remove-orphans']);
    expect(p.steps[0]?.description).toMatch(/wait up to 120s for health, roll back automatically on failure/);
  });

  it('a rollout of one service carries it, and pull/healthTimeoutSeconds from the intent', () => {
    const one = makeIntent({
      name: 'media-one', stack: 'stack-media',
      steps: [{ action: 'rollout', service: 'plex', pull: false, healthTimeoutSeconds: 30 }],
    });
    const step = planOne(one).steps[0];
    expect(step).toMatchObject({ kind: 'rollout', rollout: { services: ['plex'], pull: false, healthTimeoutMs: 30_000 } });
    expect(step?.argv.slice(-3)).toEqual(['up', '--detach', 'plex']);
  });

  it('the rollout spec is in the plan hash: another health timeout is another plan', () => {
    const at = (healthTimeoutSeconds: number) => planOne(makeIntent({ name: 'r', stack: 'stack-media', steps: [{ action: 'rollout', healthTimeoutSeconds }] })).hash;
    expect(at(30)).not.toBe(at(31));
  });

  it('rollback becomes one composite step to the named rollout, or to the newest without one', () => {
    const to = planOne(makeIntent({ name: 'rb', stack: 'stack-media', steps: [{ action: 'rollback', to: 'abc-123' }] })).steps[0];
    expect(to).toMatchObject({ action: 'rollback', kind: 'rollback', rollback: { to: 'abc-123', healthTimeoutMs: 120_000 } });
    expect(to?.argv.slice(-2)).toEqual(['up', '--detach']);
    const latest = planOne(makeIntent({ name: 'rb', stack: 'stack-media', steps: [{ action: 'rollback' }] })).steps[0];
    expect(latest?.rollback).toEqual({ healthTimeoutMs: 120_000 });
    expect(latest?.description).toContain('newest rollback point');
  });

  it.each([
    ['a rollback to a path', { action: 'rollback', to: '../../etc' }],
    ['a rollback to an option', { action: 'rollback', to: '--file=/x' }],
    ['a health timeout of 0', { action: 'rollout', healthTimeoutSeconds: 0 }],
    ['a health timeout above 1800', { action: 'rollout', healthTimeoutSeconds: 1801 }],
  ])('rejects %s written in the intent file', (_what, step) => {
    expect(errorOf(() => planOne(makeIntent({ name: 'bad', stack: 'stack-media', steps: [step as Intent['steps'][number]] }))).code).toBe('E_INTENT_INVALID');
  });
});

describe('planIntent: defence in depth on values from the intent file', () => {
  const scale = (service: unknown, replicas: unknown) =>
    makeIntent({ name: 'raw', stack: 'stack-media', steps: [{ action: 'scale', service, replicas } as Intent['steps'][number]] });

  it.each([
    ['a service missing from the compose file', scale('sonarr-old', 1), 'E_SERVICE_UNKNOWN'],
    ['a malformed literal service', scale('--project-directory=/', 1), 'E_INTENT_INVALID'],
    ['replicas above 100', scale('plex', 101), 'E_INTENT_INVALID'],
    ['negative replicas', scale('plex', -1), 'E_INTENT_INVALID'],
    ['fractional replicas', scale('plex', 1.5), 'E_INTENT_INVALID'],
    ['replicas as text', scale('plex', '2'), 'E_INTENT_INVALID'],
    ['a ref to an undeclared param', scale({ param: 'svc' }, 1), 'E_INTENT_INVALID'],
    ['logs tail 0', makeIntent({ name: 'raw', stack: 'stack-media', steps: [{ action: 'logs', tail: 0 }] }), 'E_INTENT_INVALID'],
    ['logs tail 5001', makeIntent({ name: 'raw', stack: 'stack-media', steps: [{ action: 'logs', tail: 5001 }] }), 'E_INTENT_INVALID'],
    ['timeoutSeconds 0', { ...scale('plex', 1), timeoutSeconds: 0 }, 'E_INTENT_INVALID'],
  ])('rejects %s', (_what, intent, code) => {
    expect(errorOf(() => planOne(intent)).code).toBe(code);
  });

  it('caps replicas at 100 even when the parameter allows more', () => {
    const wide = makeIntent({
      name: 'wide',
      stack: 'stack-media',
      params: { n: { type: 'integer', min: 0, max: 1000 } },
      steps: [{ action: 'scale', service: 'plex', replicas: { param: 'n' } }],
    });
    expect(planOne(wide, { n: 100 }).steps[0]?.argv).toContain('plex=100');
    const err = errorOf(() => planOne(wide, { n: 101 }));
    expect(err.code).toBe('E_PARAM_INVALID');
    expect(err.message).toContain('parameter n');
  });

  it('refuses an integer parameter in a service slot', () => {
    const mixed = makeIntent({
      name: 'mixed',
      stack: 'stack-media',
      params: { n: { type: 'integer', min: 0, max: 3, default: 1 } },
      steps: [{ action: 'restart', service: { param: 'n' } }],
    });
    expect(errorOf(() => planOne(mixed)).code).toBe('E_INTENT_INVALID');
  });

  it.each<[string, Partial<StackFacts>]>([
    ['a relative dir', { dir: 'opt/stacks/stack-media' }],
    ['a compose file with a newline', { composeFile: '/opt/stacks/x\n.yaml' }],
    ['an env file that looks like an option', { envFiles: ['--env-file=/etc/shadow'] }],
    ['facts for another stack', { name: 'stack-db' }],
  ])('rejects stack facts with %s', (_what, bad) => {
    const stacks = (name: string) => (name === 'stack-media' ? { ...STACKS['stack-media']!, ...bad } : lookupStack(name));
    expect(errorOf(() => planOne(LEGACY_SCALE_STACK, {}, stacks)).code).toBe('E_STACK_INVALID');
  });
});

describe('planIntent: hash', () => {
  it('is the SHA-256 of the canonical plan body and stable across calls and key order', () => {
    const a = plan('scale', { service: 'plex', replicas: 2 });
    const b = plan('scale', { replicas: '2', service: 'plex' });
    const { hash, ...body } = a;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(hashCanonical(body));
    expect(b.hash).toBe(hash);
    expect(b).toEqual(a);
  });

  it('changes with params, dialect and the stack facts', () => {
    const base = plan('scale', { service: 'plex', replicas: 2 }).hash;
    expect(plan('scale', { service: 'plex', replicas: 3 }).hash).not.toBe(base);
    expect(plan('scale', { service: 'jellyfin', replicas: 2 }).hash).not.toBe(base);
    expect(plan('scale', { service: 'plex', replicas: 2 }, { dialect: 'v1' }).hash).not.toBe(base);
    const moved = (name: string) => (name === 'stack-media' ? { ...STACKS['stack-media']!, envFiles: [] } : lookupStack(name));
    expect(plan('scale', { service: 'plex', replicas: 2 }, { stacks: moved }).hash).not.toBe(base);
  });
});
