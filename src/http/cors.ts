import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

/**
 * CORS only when `server.corsOrigins` lists origins, and then only for exactly those. The
 * allowed origin is echoed back (never `*`, never `null`): a browser page elsewhere gets no
 * access to an API that holds keys able to restart services.
 */
export function normalizeOrigins(origins: readonly string[]): Set<string> {
  return new Set(origins.map((o, i) => {
    const origin = new URL(o).origin;
    if (origin === 'null') throw new AppError('E_CONFIG_INVALID', `server.corsOrigins[${i}] ${JSON.stringify(o)}: not an http(s) origin`);
    return origin;
  }));
}

/** Sets CORS headers; returns true when it answered a preflight (the request is done). */
export type CorsStep = (request: FastifyRequest, reply: FastifyReply) => boolean;

/** The edge's CORS step, or null when no origins are configured (then no CORS header at all). */
export function createCors(origins: readonly string[]): CorsStep | null {
  if (origins.length === 0) return null;
  const allowed = normalizeOrigins(origins);
  return (request, reply) => {
    reply.header('vary', 'Origin');
    const origin = request.headers.origin;
    if (typeof origin !== 'string' || !allowed.has(origin)) return false;
    reply.header('access-control-allow-origin', origin);
    reply.header('access-control-expose-headers', 'X-Request-Id, Retry-After');
    const preflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
    if (!preflight) return false;
    // Preflights carry no credentials by design; answering them reveals nothing but these lists.
    reply.header('access-control-allow-methods', 'GET, POST');
    reply.header('access-control-allow-headers', 'Authorization, Content-Type, X-API-Key, X-Request-Id');
    reply.header('access-control-max-age', '600');
    void reply.code(204).send();
    return true;
  };
}
