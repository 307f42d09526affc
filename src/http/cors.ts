import type { FastifyInstance } from 'fastify';
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

export function registerCors(app: FastifyInstance, origins: readonly string[]): void {
  if (origins.length === 0) return;
  const allowed = normalizeOrigins(origins);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('vary', 'Origin');
    const origin = request.headers.origin;
    if (typeof origin !== 'string' || !allowed.has(origin)) return;
    reply.header('access-control-allow-origin', origin);
    reply.header('access-control-expose-headers', 'X-Request-Id, Retry-After');
    const preflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
    if (!preflight) return;
    // Preflights carry no credentials by design; answering them reveals nothing but these lists.
    reply.header('access-control-allow-methods', 'GET, POST');
    reply.header('access-control-allow-headers', 'Authorization, Content-Type, X-API-Key, X-Request-Id');
    reply.header('access-control-max-age', '600');
    return reply.code(204).send();
  });
}
