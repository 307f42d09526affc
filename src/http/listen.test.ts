import { describe, expect, it } from 'vitest';
import { parseListen } from './listen.js';

describe('parseListen', () => {
  it.each([
    ['127.0.0.1:8080', { host: '127.0.0.1', port: 8080 }],
    ['[::1]:8080', { host: '::1', port: 8080 }],
    ['[fd00::12]:0', { host: 'fd00::12', port: 0 }],
    ['0.0.0.0:80', { host: '0.0.0.0', port: 80 }],
    ['localhost:9000', { host: 'localhost', port: 9000 }],
    [':8081', { host: '127.0.0.1', port: 8081 }],
    ['8082', { host: '127.0.0.1', port: 8082 }],
  ])('%s', (text, expected) => {
    expect(parseListen(text)).toEqual(expected);
  });

  it.each(['::1:8080', '[::1]', '[127.0.0.1]:80', 'host:', 'host:65536', 'host:8o80', 'a b:80', 'nohost', '[::1]:-1'])('refuses %s with E_CONFIG_INVALID', (text) => {
    expect(() => parseListen(text)).toThrow(expect.objectContaining({ code: 'E_CONFIG_INVALID', message: expect.stringContaining('server.listen') }));
  });
});
