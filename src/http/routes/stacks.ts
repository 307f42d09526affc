import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestRollback, requestRollout } from '../../commands/rollout.js';
import { isTerminal } from '../../commands/runs.js';
import { AppError } from '../../errors.js';
import { Name, ROLLOUT_HEALTH_TIMEOUT_MAX, ROLLOUT_ID_PATTERN } from '../../intent/schema.js';
import { RunQuery } from '../schemas.js';
import { callerOf, type RouteDeps } from './deps.js';

export const StackNameParams = z.strictObject({ name: Name.describe('Stack name (its folder under the stacks root)') });

export const RolloutBody = z.strictObject({
  pull: z.boolean().optional().describe('Pull before up (default true)'),
  sync: z.boolean().optional().describe('git pull --ff-only the stacks repository first'),
  services: z.array(Name).min(1).max(100).optional().describe('Only these services (default: the whole stack)'),
  dryRun: z.boolean().optional().describe('Show which images would move; runs nothing, audits nothing'),
  healthTimeoutSeconds: z.number().int().min(1).max(ROLLOUT_HEALTH_TIMEOUT_MAX).optional(),
  reason: z.string().max(500).optional().describe('Why; recorded in the audit trail'),
}).nullish();

export const RollbackBody = z.strictObject({
  to: z.string().regex(ROLLOUT_ID_PATTERN).optional().describe('A rollout id of this stack (default: the newest rollback point)'),
  reason: z.string().max(500).optional().describe('Why; recorded in the audit trail'),
}).nullish();

/**
 * Health-checked rollout and manual rollback of one stack. The edge parses and calls one command;
 * RBAC, the lock, the audit and the run itself are the commands' (and the same as for intents).
 */
export function registerStackRoutes(app: FastifyInstance, { ctx }: Pick<RouteDeps, 'ctx'>): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const waitMs = (wait: boolean | undefined) => (wait ? ctx.config.server.waitTimeoutSeconds * 1000 : 0);

  r.post('/v1/stacks/:name/rollout', {
    schema: {
      summary: 'Roll out a stack: pull, up, wait for health, roll back on failure (202; with ?wait=true, 200 when it ends; dryRun: 200 with the changes)',
      tags: ['stacks'], params: StackNameParams, body: RolloutBody, querystring: RunQuery,
    },
  }, async (request, reply) => {
    const body = request.body ?? {};
    const [result] = await requestRollout(ctx, callerOf(request), {
      stacks: [request.params.name],
      waitMs: waitMs(request.query.wait),
      ...(body.pull !== undefined ? { pull: body.pull } : {}),
      ...(body.sync ? { sync: true } : {}),
      ...(body.services ? { services: body.services } : {}),
      ...(body.dryRun ? { dryRun: true } : {}),
      ...(body.healthTimeoutSeconds !== undefined ? { healthTimeoutSeconds: body.healthTimeoutSeconds } : {}),
      ...(body.reason ? { reason: body.reason } : {}),
    });
    if (!result) throw new AppError('E_INTERNAL', 'no result for the stack');
    if (!result.ok) throw result.error;
    const value = result.value;
    if ('dryRun' in value) return value;
    reply.header('location', `/v1/runs/${value.id}`);
    reply.code(isTerminal(value.state) ? 200 : 202);
    return value;
  });

  r.post('/v1/stacks/:name/rollback', {
    schema: {
      summary: 'Put a stack back on the images recorded before a rollout, and verify them (202; with ?wait=true, 200 when it ends)',
      tags: ['stacks'], params: StackNameParams, body: RollbackBody, querystring: RunQuery,
    },
  }, async (request, reply) => {
    const body = request.body ?? {};
    const run = await requestRollback(ctx, callerOf(request), {
      stack: request.params.name,
      waitMs: waitMs(request.query.wait),
      ...(body.to !== undefined ? { to: body.to } : {}),
      ...(body.reason ? { reason: body.reason } : {}),
    });
    reply.header('location', `/v1/runs/${run.id}`);
    reply.code(isTerminal(run.state) ? 200 : 202);
    return run;
  });
}
