import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { cancelRun, getRun, isTerminal, listRuns, requestRun } from '../../commands/runs.js';
import { ApproveBody, DenyBody, ListRunsQuery, RunBody, RunIdParams, RunQuery } from '../schemas.js';
import { approveRun, denyRun } from '../../commands/approve.js';
import { callerOf, type RouteDeps } from './deps.js';

export function registerRunRoutes(app: FastifyInstance, { ctx }: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post('/v1/runs', {
    schema: { summary: 'Request a run (202); with ?wait=true, answer when it ends (200)', tags: ['runs'], body: RunBody, querystring: RunQuery },
  }, async (request, reply) => {
    const { intent, params, reason, pr, breakGlass } = request.body;
    const waitMs = request.query.wait ? ctx.config.server.waitTimeoutSeconds * 1000 : 0;
    const run = await requestRun(ctx, callerOf(request), {
      intent, params: params ?? {}, waitMs,
      ...(reason !== undefined ? { reason } : {}), ...(pr !== undefined ? { pr } : {}), ...(breakGlass ? { breakGlass } : {}),
    });
    reply.header('location', `/v1/runs/${run.id}`);
    reply.code(isTerminal(run.state) ? 200 : 202);
    return run;
  });
  r.get('/v1/runs', { schema: { summary: 'Runs, newest first, one page at a time', tags: ['runs'], querystring: ListRunsQuery } },
    async (request) => listRuns(ctx, callerOf(request), request.query));
  r.get('/v1/runs/:id', { schema: { summary: 'One run with its steps and (redacted) output', tags: ['runs'], params: RunIdParams } },
    async (request) => getRun(ctx, callerOf(request), request.params.id));
  r.post('/v1/runs/:id/approve', { schema: { summary: 'Approve a run waiting for approvals; it starts once the quorum is reached', tags: ['runs'], params: RunIdParams, body: ApproveBody, querystring: RunQuery } },
    async (request, reply) => {
      const waitMs = request.query.wait ? ctx.config.server.waitTimeoutSeconds * 1000 : 0;
      const run = await approveRun(ctx, callerOf(request), request.params.id, { ...(request.body?.comment ? { comment: request.body.comment } : {}), waitMs });
      reply.code(isTerminal(run.state) ? 200 : 202);
      return run;
    });
  r.post('/v1/runs/:id/deny', { schema: { summary: 'Deny a run waiting for approvals; it ends', tags: ['runs'], params: RunIdParams, body: DenyBody } },
    async (request) => denyRun(ctx, callerOf(request), request.params.id, request.body?.reason ? { reason: request.body.reason } : {}));
  r.post('/v1/runs/:id/cancel', { schema: { summary: 'Cancel a running run', tags: ['runs'], params: RunIdParams } },
    async (request) => cancelRun(ctx, callerOf(request), request.params.id));
}
