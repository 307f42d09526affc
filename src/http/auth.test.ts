import { describe, expect, it } from 'vitest';
import { Config } from '../config/schema.js';
import { generateApiKey, hashApiKey } from './api-keys.js';
import { createAuthenticator, presentedKey } from './auth.js';

const aliceKey = generateApiKey();
const config = (extra: object = {}) => Config.parse({
  roles: { ops: { actions: ['status'] } },
  principals: [{ name: 'alice', roles: ['ops'], keys: [{ id: 'laptop', sha256: hashApiKey(aliceKey) }], ipAllowlist: ['192.168.0.0/16'] }],
  ...extra,
});

describe('presentedKey', () => {
  it.each([
    [{ authorization: 'Bearer abc' }, 'abc'],
    [{ authorization: 'BEARER abc' }, 'abc'],
    [{ authorization: 'Bearer abc\n' }, 'abc\n'],
    [{ 'x-api-key': 'xyz' }, 'xyz'],
    [{ authorization: 'Basic abc', 'x-api-key': 'xyz' }, 'xyz'],
    [{ authorization: 'Basic abc' }, undefined],
    [{}, undefined],
  ])('%j → %j', (headers, key) => expect(presentedKey(headers)).toBe(key));
});

describe('createAuthenticator', () => {
  it('resolves principals with roles, key id and allowlist', () => {
    const auth = createAuthenticator(config(), {});
    const r = auth.authenticate({ authorization: `Bearer ${aliceKey}` }, Date.now());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.owner.principal).toMatchObject({ name: 'alice', roleNames: ['ops'], via: 'api-key', keyId: 'laptop' });
    expect(r.owner.principal.roles[0]?.actions).toEqual(['status']);
    expect(r.owner.ipAllowlist?.has('192.168.3.4')).toBe(true);
    expect(r.owner.ipAllowlist?.has('10.0.0.1')).toBe(false);
  });

  it('adds ORESI_API_KEY, CHATOPS_API_KEY and the demo key as admin', () => {
    const env = { ORESI_API_KEY: generateApiKey(), CHATOPS_API_KEY: generateApiKey() };
    const demo = generateApiKey();
    const auth = createAuthenticator(config(), env, demo);
    expect(auth.keyCount).toBe(4);
    for (const [key, keyId] of [[env.ORESI_API_KEY, 'ORESI_API_KEY'], [env.CHATOPS_API_KEY, 'CHATOPS_API_KEY'], [demo, 'demo']] as const) {
      const r = auth.authenticate({ 'x-api-key': key }, Date.now());
      expect(r).toMatchObject({ ok: true, owner: { principal: { name: 'admin', admin: true, via: 'env-key', keyId }, ipAllowlist: null } });
    }
  });

  it('refuses an unknown role, naming it and the defined ones', () => {
    expect(() => createAuthenticator(config({ principals: [{ name: 'bob', roles: ['opz'] }] }), {}))
      .toThrow(expect.objectContaining({ code: 'E_CONFIG_INVALID', message: expect.stringMatching(/principals\[0\]\.roles.*"opz".*defined roles: ops/) }));
  });

  it('refuses a short env key at start-up and ignores an empty one', () => {
    expect(() => createAuthenticator(config(), { CHATOPS_API_KEY: 'hunter2' })).toThrow(/CHATOPS_API_KEY is too short \(7 characters\)/);
    expect(createAuthenticator(config(), { ORESI_API_KEY: '' }).keyCount).toBe(1);
  });

  it('refuses the same key for two identities', () => {
    expect(() => createAuthenticator(config(), { ORESI_API_KEY: aliceKey })).toThrow(/same key as principals\[0\]\.keys\[0\]/);
  });
});
