import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { describeIntent, listIntents } from '../../commands/intents.js';
import { planRun } from '../../commands/plan.js';
import { jsonText, JSON_CONTENT_TYPE } from '../frozen-json.js';
import { IntentNameParams, PlanBody } from '../schemas.js';
import { callerOf, type RouteDeps } from './deps.js';

export function registerIntentRoutes(app: FastifyInstance, { ctx }: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/v1/intents', { schema: { summary: 'Intents the caller may see', tags: ['intents'] } },
    async (request) => ({ intents: listIntents(ctx, callerOf(request)) }));
  r.get('/v1/intents/:name', { schema: { summary: 'One intent, with its parameter schema', tags: ['intents'], params: IntentNameParams } },
    async (request) => describeIntent(ctx, callerOf(request), request.params.name));
  r.post('/v1/intents/:name/plan', { schema: { summary: 'The exact argv a run would execute; runs nothing', tags: ['intents'], params: IntentNameParams, body: PlanBody } },
    async (request, reply) => {
      const plan = await planRun(ctx, callerOf(request), { intent: request.params.name, params: request.body?.params ?? {} });
      reply.type(JSON_CONTENT_TYPE);
      return jsonText(plan);
    });
}
