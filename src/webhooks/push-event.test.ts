import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideDelivery, isValidDeliveryId, parsePayload } from './push-event.js';
import { ProviderConfig } from '../config/webhook-schema.js';

const cfg = ProviderConfig.parse({ repo: 'homelab/stacks', branch: 'main', intents: ['rollout-all'], role: 'deployer' });
const sha = 'a'.repeat(40);
const push = (over: Record<string, unknown> = {}) => ({ ref: 'refs/heads/main', after: sha, repository: { full_name: 'homelab/stacks' }, ...over });

describe('decideDelivery', () => {
  it('acts on a push of a commit to the configured branch of the configured repository', () => {
    expect(decideDelivery(cfg, 'push', push())).toEqual({ act: true, push: { ref: 'refs/heads/main', repo: 'homelab/stacks', after: sha, deleted: false } });
    expect(decideDelivery(cfg, 'push', push({ repository: { full_name: 'HomeLab/Stacks' } })).act).toBe(true);
  });

  it.each([
    ['another event', 'ping', push(), /only push/],
    ['another branch', 'push', push({ ref: 'refs/heads/dev' }), /refs\/heads\/dev, not refs\/heads\/main/],
    ['a tag', 'push', push({ ref: 'refs/tags/main' }), /not refs\/heads\/main/],
    ['another repository', 'push', push({ repository: { full_name: 'evil/stacks' } }), /evil\/stacks, not homelab\/stacks/],
    ['a branch deletion', 'push', push({ after: '0'.repeat(40), deleted: true }), /deleted/],
    ['a non-hex commit', 'push', push({ after: '--upload-pack=touch /tmp/x' }), /not a hex object id/],
    ['a payload without fields', 'push', { zen: 'hello' }, /not a push payload/],
    ['a non-object payload', 'push', 'push', /not a push payload/],
  ])('ignores %s', (_name, event, payload, reason) => {
    const d = decideDelivery(cfg, event, payload);
    expect(d.act).toBe(false);
    if (!d.act) expect(d.reason).toMatch(reason);
  });

  it('property: arbitrary JSON never acts unless it names the repo, ref and a hex commit', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      const d = decideDelivery(cfg, 'push', value);
      if (d.act) expect(d.push.ref).toBe('refs/heads/main');
    }));
  });
});

describe('parsePayload', () => {
  it('reads JSON and the form encoding', () => {
    expect(parsePayload(Buffer.from('{"a":1}'), 'application/json; charset=utf-8')).toEqual({ ok: true, value: { a: 1 } });
    expect(parsePayload(Buffer.from(`payload=${encodeURIComponent('{"a":2}')}`), 'application/x-www-form-urlencoded')).toEqual({ ok: true, value: { a: 2 } });
    expect(parsePayload(Buffer.from('{'), 'application/json')).toMatchObject({ ok: false });
    expect(parsePayload(Buffer.from('x=1'), 'application/x-www-form-urlencoded')).toMatchObject({ ok: false });
  });

  it('delivery ids are short tokens', () => {
    expect(isValidDeliveryId('72d3162e-cc78-11e3-81ab-4c9367dc0958')).toBe(true);
    expect(isValidDeliveryId('a'.repeat(101))).toBe(false);
    expect(isValidDeliveryId('x\ny')).toBe(false);
    expect(isValidDeliveryId(undefined)).toBe(false);
  });
});
