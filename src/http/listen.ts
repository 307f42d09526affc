import { isIP } from 'node:net';
import { AppError } from '../errors.js';

export interface ListenAddress {
  host: string;
  port: number;
}

/**
 * Parses `server.listen`: `host:port`, `[v6]:port`, or a bare `:port` / `port` (loopback, so a
 * missing host never means "every interface"). Bad input is a config error, not a crash later.
 */
export function parseListen(value: string): ListenAddress {
  const text = value.trim();
  let host: string;
  let portText: string;
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(text);
  if (bracketed) {
    host = bracketed[1] ?? '';
    portText = bracketed[2] ?? '';
    if (isIP(host) !== 6) throw invalid(value, 'the part in [] must be an IPv6 address');
  } else if (/^\d+$/.test(text)) {
    host = '127.0.0.1';
    portText = text;
  } else {
    const colon = text.lastIndexOf(':');
    if (colon < 0) throw invalid(value, 'expected host:port');
    host = text.slice(0, colon) || '127.0.0.1';
    portText = text.slice(colon + 1);
    if (host.includes(':')) throw invalid(value, 'write IPv6 addresses in brackets, e.g. [::1]:8080');
    if (isIP(host) === 0 && !/^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$/.test(host)) throw invalid(value, `bad host ${JSON.stringify(host)}`);
  }
  if (!/^\d{1,5}$/.test(portText)) throw invalid(value, 'the port must be a number');
  const port = Number(portText);
  if (port > 65_535) throw invalid(value, 'the port must be 0..65535');
  return { host, port };
}

function invalid(value: string, why: string): AppError {
  return new AppError('E_CONFIG_INVALID', `server.listen ${JSON.stringify(value)}: ${why}`);
}
