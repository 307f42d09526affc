import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildChildEnv, DEFAULT_PATH } from './child-env.js';

const FIXED = ['PATH', 'HOME', 'LANG', 'DOCKER_HOST', 'DOCKER_CONFIG', 'DOCKER_CERT_PATH', 'DOCKER_TLS_VERIFY', 'COMPOSE_INTERACTIVE_NO_CLI'];

describe('buildChildEnv', () => {
  it('keeps only the allowlist and drops secrets', () => {
    const env = {
      PATH: '/usr/bin', HOME: '/root', ORESI_API_KEY: 'sk-secret', GITHUB_TOKEN: 'ghp_x',
      DOCKER_HOST: 'unix:///run/docker.sock', LANG: 'de_DE.UTF-8', TZ: 'UTC', MY_DOMAIN: 'home.lan',
    };
    expect(buildChildEnv(env, ['MY_DOMAIN', 'UNSET_ONE'])).toEqual({
      PATH: '/usr/bin', HOME: '/root', LANG: 'C.UTF-8', DOCKER_HOST: 'unix:///run/docker.sock',
      COMPOSE_INTERACTIVE_NO_CLI: '1', MY_DOMAIN: 'home.lan',
    });
  });

  it('falls back to a safe PATH and /tmp HOME', () => {
    expect(buildChildEnv({}, [])).toEqual({ PATH: DEFAULT_PATH, HOME: '/tmp', LANG: 'C.UTF-8', COMPOSE_INTERACTIVE_NO_CLI: '1' });
  });

  it('does not let passEnv override LANG or the compose switch', () => {
    const child = buildChildEnv({ LANG: 'C', COMPOSE_INTERACTIVE_NO_CLI: '0' }, ['LANG', 'COMPOSE_INTERACTIVE_NO_CLI']);
    expect(child.LANG).toBe('C.UTF-8');
    expect(child.COMPOSE_INTERACTIVE_NO_CLI).toBe('1');
  });

  it('property: no variable outside the allowlist and passEnv ever reaches the child', () => {
    const key = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,12}$/);
    fc.assert(
      fc.property(fc.dictionary(key, fc.string()), fc.array(key, { maxLength: 4 }), (env, passEnv) => {
        const child = buildChildEnv(env, passEnv);
        for (const [k, v] of Object.entries(child)) {
          expect(FIXED.includes(k) || passEnv.includes(k)).toBe(true);
          if (passEnv.includes(k) && !FIXED.includes(k)) expect(v).toBe(env[k]);
        }
        for (const k of passEnv) if (env[k] !== undefined) expect(k in child).toBe(true);
      }),
    );
  });
});
