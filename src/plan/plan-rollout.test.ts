import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lookupStack } from '../../test/fixtures/plans/cases.js';
import { AppError } from '../errors.js';
import { planRollback, planRollout } from './plan-rollout.js';

const base = { stack: 'stack-media', stacks: lookupStack, dialect: 'v2' as const, healthTimeoutSeconds: 60, timeoutSeconds: 1800 };

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('planRollout (ad-hoc, no intent file)', () => {
  it('is one rollout step under the intent name rollout, hashed', () => {
    const p = planRollout({ ...base, pull: true });
    expect(p).toMatchObject({ intent: 'rollout', stack: 'stack-media', params: { pull: 'yes' }, timeoutMs: 1_800_000 });
    expect(p.steps).toEqual([expect.objectContaining({ index: 1, action: 'rollout', kind: 'rollout', rollout: { pull: true, healthTimeoutMs: 60_000 } })]);
    expect(p.steps[0]?.argv.slice(-3)).toEqual(['up', '--detach', '--remove-orphans']);
    expect(p.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(planRollout({ ...base, pull: false }).hash).not.toBe(p.hash);
  });

  it('limits to declared services, deduplicated, and names them last in the display argv', () => {
    const p = planRollout({ ...base, pull: false, services: ['sonarr', 'plex', 'sonarr'] });
    expect(p.steps[0]?.rollout).toEqual({ services: ['sonarr', 'plex'], pull: false, healthTimeoutMs: 60_000 });
    expect(p.params).toEqual({ pull: 'no', services: 'sonarr,plex' });
    expect(p.steps[0]?.argv.slice(-4)).toEqual(['up', '--detach', 'sonarr', 'plex']);
  });

  it.each([
    ['an unknown stack', { stack: 'nope' }, 'E_STACK_NOT_FOUND'],
    ['a malformed stack', { stack: '../etc' }, 'E_STACK_INVALID'],
    ['an undeclared service', { services: ['ghost'] }, 'E_SERVICE_UNKNOWN'],
    ['an empty service list', { services: [] }, 'E_PARAM_INVALID'],
    ['a health timeout of 0', { healthTimeoutSeconds: 0 }, 'E_PARAM_INVALID'],
    ['a timeout above an hour', { timeoutSeconds: 3601 }, 'E_PARAM_INVALID'],
  ])('refuses %s', (_what, over, code) => {
    expect(codeOf(() => planRollout({ ...base, pull: true, ...over }))).toBe(code);
  });

  it('no caller-supplied service string ever reaches argv unless it is a declared service', () => {
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 70 }), { minLength: 1, maxLength: 4 }), (services) => {
      try {
        const p = planRollout({ ...base, pull: true, services });
        for (const s of services) expect(['plex', 'sonarr', 'jellyfin', 'radarr']).toContain(s);
        expect(p.steps[0]?.argv.filter((a) => services.includes(a)).length).toBeGreaterThan(0);
      } catch (err) {
        expect(err).toBeInstanceOf(AppError);
      }
    }));
  });
});

describe('planRollback', () => {
  it('is one rollback step to the given rollout, or to the newest', () => {
    const to = planRollback({ ...base, to: 'abc-1' });
    expect(to).toMatchObject({ intent: 'rollback', params: { to: 'abc-1' } });
    expect(to.steps[0]).toMatchObject({ action: 'rollback', kind: 'rollback', rollback: { to: 'abc-1', healthTimeoutMs: 60_000 } });
    expect(planRollback(base).steps[0]?.rollback).toEqual({ healthTimeoutMs: 60_000 });
  });

  it('refuses a rollout id that could name a path or an option', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (to) => {
      try {
        const p = planRollback({ ...base, to });
        expect(to).toMatch(/^[a-z0-9][a-z0-9-]{0,63}$/);
        expect(p.steps[0]?.rollback?.to).toBe(to);
      } catch (err) {
        expect((err as AppError).code).toBe('E_PARAM_INVALID');
      }
    }));
  });
});
