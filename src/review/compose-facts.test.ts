import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseComposeFacts, toPort, toVolume } from './compose-facts.js';

describe('toPort', () => {
  it.each([
    ['8080:80', null, '8080', '80'],
    ['127.0.0.1:8080:80/tcp', '127.0.0.1', '8080', '80'],
    ['0.0.0.0:53:53/udp', '0.0.0.0', '53', '53'],
    ['[::1]:8080:80', '::1', '8080', '80'],
    ['80', null, null, '80'],
    [9000, null, null, '9000'],
  ])('%s', (raw, hostIp, published, target) => {
    expect(toPort(raw)[0]).toMatchObject({ hostIp, published, target });
  });

  it('reads the long syntax', () => {
    expect(toPort({ target: 80, published: '8080', host_ip: '10.0.0.2' })[0]).toMatchObject({ hostIp: '10.0.0.2', published: '8080', target: '80' });
  });
});

describe('toVolume', () => {
  it.each([
    ['data:/data', 'volume', 'data', '/data', false],
    ['./conf:/etc/app:ro', 'bind', './conf', '/etc/app', true],
    ['/var/run/docker.sock:/var/run/docker.sock', 'bind', '/var/run/docker.sock', '/var/run/docker.sock', false],
    ['/cache', 'volume', null, '/cache', false],
  ])('%s', (raw, type, source, target, readOnly) => {
    expect(toVolume(raw)[0]).toMatchObject({ type, source, target, readOnly });
  });
});

describe('parseComposeFacts', () => {
  it('reads the facts the rubric needs', () => {
    const parsed = parseComposeFacts(`services:
  app:
    image: \${APP_IMAGE:-ghcr.io/acme/app:1.2.3}
    privileged: true
    cap_add: [cap_sys_admin]
    user: "0:0"
    restart: always
    healthcheck: { disable: true }
    labels: ["a=b", "c"]
    environment: { PUID: 1000 }
volumes:
  data: {}
`);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.facts.volumes).toEqual(['data']);
    expect(parsed.facts.services[0]).toMatchObject({
      name: 'app', imageResolved: 'ghcr.io/acme/app:1.2.3', privileged: true, capAdd: ['SYS_ADMIN'], user: '0:0',
      restart: 'always', healthcheck: 'disabled', labels: { a: 'b', c: '' }, environment: { PUID: '1000' },
    });
  });

  it('leaves an image from a variable without a default unresolved', () => {
    const parsed = parseComposeFacts('services:\n  app:\n    image: ${IMAGE}\n');
    expect(parsed.ok && parsed.facts.services[0]?.imageResolved).toBeNull();
  });

  it.each([
    ['services: [', /not valid YAML/],
    ['- a\n- b\n', /is not a mapping/],
    ['version: "3"\n', /has no services/],
    ['a: 1\na: 2\nservices: {x: {}}\n', /not valid YAML/],
  ])('rejects %j', (text, why) => {
    const parsed = parseComposeFacts(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(why);
  });

  it('never throws on arbitrary text (it comes from a PR)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (text) => {
      const parsed = parseComposeFacts(text);
      expect(typeof parsed.ok).toBe('boolean');
    }));
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      const parsed = parseComposeFacts(JSON.stringify({ services: { s: value } }));
      expect(parsed.ok).toBe(true);
    }));
  });
});
