import { describe, expect, it } from 'vitest';
import { RoleConfig } from '../config/schema.js';
import { authorize, matchGlob } from './rbac.js';

const role = (r: Partial<RoleConfig>) => RoleConfig.parse(r);

describe('matchGlob', () => {
  it.each([
    ['*', 'anything', true],
    ['scale-*', 'scale-plex', true],
    ['scale-*', 'restart-plex', false],
    ['stack-?', 'stack-a', true],
    ['stack-?', 'stack-ab', false],
    ['a.b', 'axb', false],
    ['stack-media', 'stack-media', true],
  ])('%s vs %s → %s', (glob, name, want) => {
    expect(matchGlob(glob, name)).toBe(want);
  });
});

describe('authorize', () => {
  const req = { mode: 'run' as const, intent: 'scale-plex', stack: 'stack-media', actions: ['scale' as const] };

  it('allows when one role covers intent, stack and every action', () => {
    const d = authorize([{ name: 'ops', role: role({ intents: ['scale-*'], stacks: ['stack-media'], actions: ['scale'] }) }], req);
    expect(d).toEqual({ allowed: true, role: 'ops' });
  });

  it.each([
    [{ intents: ['restart-*'] }, 'intent scale-plex is not in its intents'],
    [{ stacks: ['stack-web'] }, 'stack stack-media is not in its stacks'],
    [{ actions: ['restart' as const] }, 'does not allow the action(s) scale'],
    [{ readOnly: true }, 'read-only'],
  ])('denies %o with a reason', (r, reason) => {
    const d = authorize([{ name: 'ops', role: role(r) }], req);
    expect(d.allowed).toBe(false);
    if (!d.allowed) expect(d.reason).toContain(reason);
  });

  it('read-only roles may read', () => {
    expect(authorize([{ name: 'viewer', role: role({ readOnly: true }) }], { ...req, mode: 'read' }).allowed).toBe(true);
  });

  it('approve needs the approve grant', () => {
    expect(authorize([{ name: 'ops', role: role({}) }], { ...req, mode: 'approve' }).allowed).toBe(false);
    expect(authorize([{ name: 'lead', role: role({ approve: true }) }], { ...req, mode: 'approve' }).allowed).toBe(true);
  });

  it('no roles means no access, admin means all', () => {
    expect(authorize([], req).allowed).toBe(false);
    expect(authorize([], req, { admin: true }).allowed).toBe(true);
  });
});
