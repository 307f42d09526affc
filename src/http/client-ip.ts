import { BlockList, isIP } from 'node:net';
import { AppError } from '../errors.js';

/** A set of addresses and CIDR ranges (node:net BlockList), for trusted proxies and allowlists. */
export interface AddressSet {
  readonly size: number;
  has(ip: string): boolean;
}

/**
 * Returns the canonical text of an IP address, or null when it is not one. IPv4-mapped IPv6
 * (`::ffff:1.2.3.4`, what a dual-stack socket reports for IPv4 peers) becomes plain IPv4 so one
 * rule covers both spellings; a zone id (`fe80::1%eth0`) is dropped.
 */
export function normalizeIp(text: string): string | null {
  let ip = text.trim();
  const zone = ip.indexOf('%');
  if (zone >= 0) ip = ip.slice(0, zone);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped?.[1]) ip = mapped[1];
  const family = isIP(ip);
  if (family === 4) return ip;
  if (family === 6) return ip.toLowerCase();
  return null;
}

function familyOf(ip: string): 'ipv4' | 'ipv6' {
  return isIP(ip) === 4 ? 'ipv4' : 'ipv6';
}

/** Builds an AddressSet from config entries (`10.0.0.0/8`, `::1`, `fd00::/8`); bad entries stop start-up. */
export function createAddressSet(entries: readonly string[], setting: string, opts: { refuseEverything?: boolean } = {}): AddressSet {
  const list = new BlockList();
  entries.forEach((entry, i) => {
    const where = `${setting}[${i}] ${JSON.stringify(entry)}`;
    const [addrText = '', prefixText, extra] = entry.split('/');
    const addr = normalizeIp(addrText);
    if (!addr || extra !== undefined) throw new AppError('E_CONFIG_INVALID', `${where}: expected an IP address or CIDR`);
    const type = familyOf(addr);
    if (prefixText === undefined) {
      list.addAddress(addr, type);
      return;
    }
    const max = type === 'ipv4' ? 32 : 128;
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) {
      throw new AppError('E_CONFIG_INVALID', `${where}: the prefix length must be 0..${max}`);
    }
    if (opts.refuseEverything && Number(prefixText) === 0) {
      throw new AppError('E_CONFIG_INVALID', `${where}: trusting every address would let any client choose its own IP`);
    }
    list.addSubnet(addr, Number(prefixText), type);
  });
  return {
    size: entries.length,
    has(ip) {
      const norm = normalizeIp(ip);
      return norm !== null && list.check(norm, familyOf(norm));
    },
  };
}

/**
 * The client IP: the socket peer, unless the peer is a trusted proxy; then X-Forwarded-For is
 * walked right to left (each proxy appends the address it saw), skipping trusted proxies, and
 * the first untrusted address is the client. Anything malformed falls back to the peer, so a
 * client can never pick its own address by sending a header.
 */
export function resolveClientIp(peer: string | undefined, xff: string | string[] | undefined, trusted: AddressSet): string {
  const peerIp = peer ? normalizeIp(peer) : null;
  if (!peerIp) return 'unknown';
  if (trusted.size === 0 || xff === undefined || !trusted.has(peerIp)) return peerIp;
  const hops = (Array.isArray(xff) ? xff.join(',') : xff).split(',');
  if (hops.length > 64) return peerIp;
  let client = peerIp;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeIp(hops[i] ?? '');
    if (!hop) return peerIp;
    client = hop;
    if (!trusted.has(hop)) return hop;
  }
  // Every hop is a trusted proxy: the leftmost one is where the request entered.
  return client;
}

/**
 * The rate-limit bucket for an address: IPv4 as is, IPv6 by its /64, because one host usually
 * holds a whole /64 and could otherwise rotate through fresh addresses to dodge the limit.
 */
export function rateKeyForIp(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  const [head = '', tail] = ip.split('::');
  const split = (s: string) => (s ? s.split(':') : []);
  const h = split(head);
  const t = tail === undefined ? [] : split(tail);
  const fill = tail === undefined ? [] : new Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0');
  return [...h, ...fill, ...t].slice(0, 4).map((p) => p.padStart(4, '0')).join(':') + '::/64';
}
