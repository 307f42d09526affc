import type { FastifyReply } from 'fastify';

/**
 * Response headers for a JSON API that holds keys able to restart services, after the OWASP REST
 * Security Cheat Sheet: nothing may frame, embed, sniff, cache or refer to its responses. Set on
 * every response, errors included, as one constant list (helmet's dozen were mostly for HTML
 * pages and cost a fifth of a request's time here: docs/performance.md).
 *
 * HSTS is for this host only: `includeSubDomains` from an API would bind every other service
 * of the homelab's domain to HTTPS. The proxy that terminates TLS may widen it.
 */
export const SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['cache-control', 'no-store'],
  ['content-security-policy', "default-src 'none'; frame-ancestors 'none'"],
  ['cross-origin-resource-policy', 'same-origin'],
  ['referrer-policy', 'no-referrer'],
  ['strict-transport-security', 'max-age=31536000'],
  ['x-content-type-options', 'nosniff'],
  ['x-frame-options', 'DENY'],
];

/** What every response carries, whichever path made it: the request id and the security headers. */
export function applyEdgeHeaders(reply: FastifyReply, requestId: string): void {
  reply.header('x-request-id', requestId);
  for (const [name, value] of SECURITY_HEADERS) reply.header(name, value);
}
