import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAddressSet, normalizeIp, rateKeyForIp, resolveClientIp } from './client-ip.js';

const none = createAddressSet([], 't');
const proxies = createAddressSet(['10.0.0.0/8', '::1', 'fd00::/8'], 'server.trustedProxies');

describe('normalizeIp', () => {
  it.each([
    ['1.2.3.4', '1.2.3.4'],
    ['::ffff:1.2.3.4', '1.2.3.4'],
    ['::FFFF:10.0.0.1', '10.0.0.1'],
    ['FE80::1%eth0', 'fe80::1'],
    [' 2001:db8::1 ', '2001:db8::1'],
    ['1.2.3.4:80', null],
    ['unknown', null],
    ['', null],
    ['1.2.3.256', null],
  ])('%s → %s', (input, out) => expect(normalizeIp(input)).toBe(out));
});

describe('createAddressSet', () => {
  it('matches addresses and ranges in both families, including v4-mapped peers', () => {
    expect(proxies.has('10.200.0.1')).toBe(true);
    expect(proxies.has('::ffff:10.200.0.1')).toBe(true);
    expect(proxies.has('11.0.0.1')).toBe(false);
    expect(proxies.has('::1')).toBe(true);
    expect(proxies.has('fd12::5')).toBe(true);
    expect(proxies.has('fe80::1')).toBe(false);
    expect(proxies.has('garbage')).toBe(false);
  });

  it.each([['10.0.0.0/33'], ['nope'], ['10.0.0.0/8/1'], ['::/129'], ['1.2.3.4/x']])('refuses %s naming the setting', (entry) => {
    expect(() => createAddressSet(['1.2.3.4', entry], 'server.ipAllowlist')).toThrow(/server\.ipAllowlist\[1\]/);
  });

  it('refuses to trust every address as a proxy', () => {
    expect(() => createAddressSet(['0.0.0.0/0'], 'server.trustedProxies', { refuseEverything: true })).toThrow(/any client choose/);
    expect(() => createAddressSet(['::/0'], 'server.trustedProxies', { refuseEverything: true })).toThrow(/any client choose/);
  });
});

describe('resolveClientIp', () => {
  it('uses the socket peer when the peer is not a trusted proxy, whatever XFF says', () => {
    expect(resolveClientIp('203.0.113.9', '10.0.0.1', proxies)).toBe('203.0.113.9');
    expect(resolveClientIp('::ffff:203.0.113.9', '1.1.1.1', none)).toBe('203.0.113.9');
  });

  it('walks XFF right to left from a trusted peer, skipping trusted hops', () => {
    expect(resolveClientIp('10.0.0.2', '198.51.100.1', proxies)).toBe('198.51.100.1');
    expect(resolveClientIp('10.0.0.2', '6.6.6.6, 198.51.100.1, 10.0.0.3', proxies)).toBe('198.51.100.1');
    expect(resolveClientIp('::1', ['6.6.6.6', '198.51.100.1'], proxies)).toBe('198.51.100.1');
    expect(resolveClientIp('10.0.0.2', '10.0.0.5, 10.0.0.3', proxies)).toBe('10.0.0.5');
  });

  it('falls back to the peer when XFF is malformed or absent', () => {
    expect(resolveClientIp('10.0.0.2', 'evil, 10.0.0.3', proxies)).toBe('10.0.0.2');
    expect(resolveClientIp('10.0.0.2', '198.51.100.1:443', proxies)).toBe('10.0.0.2');
    expect(resolveClientIp('10.0.0.2', '', proxies)).toBe('10.0.0.2');
    expect(resolveClientIp('10.0.0.2', undefined, proxies)).toBe('10.0.0.2');
    expect(resolveClientIp(undefined, '1.1.1.1', proxies)).toBe('unknown');
  });

  it('property: an untrusted peer is always the client, whatever header it sends', () => {
    fc.assert(fc.property(fc.ipV4(), fc.oneof(fc.string(), fc.array(fc.oneof(fc.ipV4(), fc.ipV6(), fc.string())).map((a) => a.join(', '))), (peer, xff) => {
      fc.pre(!peer.startsWith('10.'));
      expect(resolveClientIp(peer, xff, proxies)).toBe(peer);
    }));
  });

  it('property: behind a trusted proxy the answer is the peer or an address from the header', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.ipV4(), fc.ipV6(), fc.string({ maxLength: 8 })), { maxLength: 6 }), (hops) => {
      const got = resolveClientIp('10.0.0.2', hops.join(','), proxies);
      expect(got === '10.0.0.2' || hops.some((h) => normalizeIp(h) === got)).toBe(true);
    }));
  });
});

describe('rateKeyForIp', () => {
  it('groups IPv6 by /64 and keeps IPv4 as is', () => {
    expect(rateKeyForIp('2001:db8:1:2::5')).toBe(rateKeyForIp('2001:db8:1:2:ffff::9'));
    expect(rateKeyForIp('2001:db8:1:2::5')).not.toBe(rateKeyForIp('2001:db8:1:3::5'));
    expect(rateKeyForIp('::1')).toBe('0000:0000:0000:0000::/64');
    expect(rateKeyForIp('1.2.3.4')).toBe('1.2.3.4');
  });
});
