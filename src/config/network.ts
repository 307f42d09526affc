import { BlockList, isIP } from 'node:net';

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * An IP range in CIDR form; a bare address means just that address. Returns the normal form
 * (`10.0.0.5` → `10.0.0.5/32`) so later code only ever sees `ip/prefix`.
 */
export function parseCidr(text: string): Checked<string> {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const ip = slash === -1 ? trimmed : trimmed.slice(0, slash);
  const version = isIP(ip);
  if (version === 0) return { ok: false, message: `"${text}" is not an IP address or CIDR range` };
  const max = version === 4 ? 32 : 128;
  const prefixText = slash === -1 ? String(max) : trimmed.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) {
    return { ok: false, message: `"${text}" has an invalid prefix length (0..${max})` };
  }
  const prefix = Number(prefixText);
  try {
    // Whatever the proxy/allowlist code will later feed to BlockList must be accepted by it now.
    new BlockList().addSubnet(ip, prefix, version === 4 ? 'ipv4' : 'ipv6');
  } catch (err) {
    return { ok: false, message: `"${text}" is not a usable CIDR range: ${(err as Error).message}` };
  }
  return { ok: true, value: `${ip}/${prefix}` };
}

/** A trusted-proxy range: any CIDR except "everyone", which would let any client forge X-Forwarded-For. */
export function parseTrustedProxy(text: string): Checked<string> {
  const cidr = parseCidr(text);
  if (cidr.ok && cidr.value.endsWith('/0')) {
    return {
      ok: false,
      message: `"${text}" would trust every address as a proxy, so any client could forge X-Forwarded-For; ` +
        'list only your reverse proxy\'s address(es)',
    };
  }
  return cidr;
}

/** `host:port` or `[ipv6]:port`, with the host an IP address or a DNS name. */
export function parseListen(text: string): Checked<{ host: string; port: number }> {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(text);
  const port = Number(m?.[3]);
  const host = m?.[1] ?? m?.[2];
  if (!m || host === undefined || port > 65535) {
    return { ok: false, message: `"${text}" must be host:port (e.g. 127.0.0.1:8080 or [::1]:8080)` };
  }
  if (m[1] !== undefined && isIP(host) !== 6) return { ok: false, message: `"${text}": [${host}] is not an IPv6 address` };
  return { ok: true, value: { host, port } };
}
