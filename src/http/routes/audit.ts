import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { listAudit, verifyAudit } from '../../commands/audit.js';
import { AuditQuery, VerifyQuery } from '../schemas.js';
import { callerOf, type RouteDeps } from './deps.js';

export function registerAuditRoutes(app: FastifyInstance, { ctx }: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/v1/audit', { schema: { summary: 'Audit events after a sequence number', tags: ['audit'], querystring: AuditQuery } },
    async (request) => {
      const { after, limit } = request.query;
      return listAudit(ctx, callerOf(request), { limit, ...(after !== undefined ? { afterSeq: after } : {}) });
    });
  // A broken chain is an answer ({ ok: false, seq, reason }), not an HTTP error.
  r.get('/v1/audit/verify', { schema: { summary: 'Verify the hash chain, optionally against a checkpoint', tags: ['audit'], querystring: VerifyQuery } },
    async (request) => {
      const { seq, hash } = request.query;
      return verifyAudit(ctx, callerOf(request), seq !== undefined && hash !== undefined ? { seq, hash } : undefined);
    });
}
