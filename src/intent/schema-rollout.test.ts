import { describe, expect, it } from 'vitest';
import { POINT_ID_PATTERN } from '../rollout/rollback-point.js';
import { ROLLOUT_ID_PATTERN, Step } from './schema.js';
import { ACTIONS, type Action } from '../model.js';

describe('intent schema: rollout and rollback steps', () => {
  it('ACTIONS lists every action the Step schema accepts (RBAC matches on these names)', () => {
    const accepted = Step.options.map((o) => o.shape.action.value as Action).sort();
    expect([...ACTIONS].sort()).toEqual(accepted);
    expect(ACTIONS).toContain('rollback');
  });

  it('the rollout id pattern is the rollout library\'s', () => {
    expect(ROLLOUT_ID_PATTERN.source).toBe(POINT_ID_PATTERN.source);
  });

  it.each([
    [{ action: 'rollout' }, true],
    [{ action: 'rollout', service: 'web', pull: false, healthTimeoutSeconds: 1800 }, true],
    [{ action: 'rollout', healthTimeoutSeconds: 1801 }, false],
    [{ action: 'rollout', healthTimeoutSeconds: 0 }, false],
    [{ action: 'rollout', pull: 'no' }, false],
    [{ action: 'rollback' }, true],
    [{ action: 'rollback', to: '3f2a9c1e-0b1d-4c55-9d7e-0a1b2c3d4e5f' }, true],
    [{ action: 'rollback', to: { param: 'id' } }, false],
    [{ action: 'rollback', to: '../x' }, false],
    [{ action: 'rollback', to: 'Abc' }, false],
    [{ action: 'rollback', service: 'web' }, false],
  ])('%j valid: %s', (step, ok) => {
    expect(Step.safeParse(step).success).toBe(ok);
  });
});
