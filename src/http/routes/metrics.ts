import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from './deps.js';

/** Prometheus text format; needs a valid key like every other non-probe route. */
export function registerMetricsRoute(app: FastifyInstance, { metrics }: RouteDeps): void {
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const text = await metrics.registry.metrics();
    reply.type(metrics.registry.contentType);
    return text;
  });
}
