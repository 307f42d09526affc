import type { FastifyInstance } from 'fastify';
import { checkReadiness } from '../../commands/ready.js';
import { errorBody } from '../error-reply.js';
import type { RouteDeps } from './deps.js';

/** Probes for Docker/Kuma health checks: no key needed, nothing secret in the answer. */
export function registerHealthRoutes(app: FastifyInstance, { ctx }: RouteDeps): void {
  // A container health check shares the address of whatever floods the API; it must not fail with it.
  const config = { public: true, rateLimit: false } as const;
  app.get('/healthz', { config, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config, schema: { hide: true } }, async (request, reply) => {
    const { ready, checks } = await checkReadiness(ctx);
    if (ready) return { status: 'ready', checks };
    const failing = Object.entries(checks).filter(([, c]) => !c.ok).map(([name]) => name);
    return reply.code(503).send({ ...errorBody(request, ctx.redactor, 'E_NOT_READY', `not ready: ${failing.join(', ')}`), checks });
  });
}
