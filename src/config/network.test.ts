import fc from 'fast-check';
import { BlockList } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseCidr, parseListen, parseTrustedProxy } from './network.js';

describe('parseCidr', () => {
  it.each([
    ['10.0.0.1', '10.0.0.1/32'],
    ['10.0.0.0/8', '10.0.0.0/8'],
    [' ::1 ', '::1/128'],
    ['fd00::/8', 'fd00::/8'],
    ['0.0.0.0/0', '0.0.0.0/0'],
  ])('normalises %s', (input, out) => {
    expect(parseCidr(input)).toEqual({ ok: true, value: out });
  });

  it.each(['10.0.0.0/33', '10.0.0.0/', '10.0.0.0/-1', '10.0.0.0/8/8', '::/129', '300.1.1.1', 'localhost', '', '10.0.0.0/08a'])(
    'refuses %j', (input) => {
      expect(parseCidr(input).ok).toBe(false);
    });

  it('accepts every real range in a form BlockList understands (property)', () => {
    const v4 = fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([ip, p]) => ({ text: `${ip}/${p}`, type: 'ipv4' as const }));
    const v6 = fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 })).map(([ip, p]) => ({ text: `${ip}/${p}`, type: 'ipv6' as const }));
    fc.assert(fc.property(fc.oneof(v4, v6), ({ text, type }) => {
      const r = parseCidr(text);
      expect(r).toEqual({ ok: true, value: text });
      if (!r.ok) return;
      const [ip, prefix] = r.value.split('/') as [string, string];
      const list = new BlockList();
      list.addSubnet(ip, Number(prefix), type);
      expect(list.check(ip, type)).toBe(true);
    }));
  });

  it('returns data for any string, never throws (property)', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      const r = parseCidr(s);
      expect(typeof r.ok).toBe('boolean');
    }));
  });
});

describe('parseTrustedProxy', () => {
  it.each(['0.0.0.0/0', '::/0', '10.0.0.0/0'])('refuses "trust everyone" %s', (input) => {
    const r = parseTrustedProxy(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('would trust every address');
  });

  it('accepts a narrow range', () => {
    expect(parseTrustedProxy('172.16.0.0/12')).toEqual({ ok: true, value: '172.16.0.0/12' });
  });
});

describe('parseListen', () => {
  it.each([
    ['127.0.0.1:8080', '127.0.0.1', 8080],
    ['[::1]:9090', '::1', 9090],
    ['localhost:0', 'localhost', 0],
  ])('%s', (input, host, port) => {
    expect(parseListen(input)).toEqual({ ok: true, value: { host, port } });
  });

  it.each(['8080', ':8080', '127.0.0.1:70000', '[nothex]:80', '::1:80', 'a b:80'])('refuses %j', (input) => {
    expect(parseListen(input).ok).toBe(false);
  });
});
