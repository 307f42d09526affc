import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { probeStacks } from '../../commands/drift.js';
import { toDriftJson } from '../../docker/drift-format.js';
import { Name } from '../../intent/schema.js';
import { callerOf, type RouteDeps } from './deps.js';

export const DriftQuery = z.strictObject({
  stack: Name.optional().describe('Only this stack (default: every stack the caller may read)'),
});

/**
 * Declared vs running, as `oresi drift --json` prints it. Drift is an answer (200 with
 * `clean: false`), not an error; an unknown stack is 404 and an unreadable one 403 (from the
 * command). Like the CLI, a probe feeds the drift alerts.
 */
export function registerDriftRoutes(app: FastifyInstance, { ctx }: Pick<RouteDeps, 'ctx'>): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/v1/drift', {
    schema: { summary: 'Compare running containers with the compose files (the `oresi drift --json` document)', tags: ['stacks'], querystring: DriftQuery },
  }, async (request) => {
    const { stack } = request.query;
    return toDriftJson(await probeStacks(ctx, callerOf(request), stack !== undefined ? { stack } : {}));
  });
}
