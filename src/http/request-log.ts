import type { FastifyInstance } from 'fastify';
import type { Redactor } from '../commands/types.js';
import { escapeControl, safeLogText } from './log-safety.js';

/** A valid incoming X-Request-Id is kept (so a proxy's id correlates); anything else is replaced. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export function pickRequestId(header: string | string[] | undefined, newId: () => string): string {
  return typeof header === 'string' && REQUEST_ID_PATTERN.test(header) ? header : newId();
}

/**
 * One JSON line per request (the request id comes from the logger's bindings). No headers, no
 * bodies; the path is escaped and redacted because it is caller-controlled.
 */
export function registerRequestLog(app: FastifyInstance, redactor: Redactor): void {
  // First hook of all, so even a request refused by a guard answers with its id.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({
      ip: request.clientIp || null,
      principal: request.caller?.principal.name ?? null,
      method: escapeControl(request.method),
      route: request.routeOptions.url ?? null,
      path: safeLogText(redactor, request.url.split('?')[0] ?? '', 300),
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
    }, 'request');
  });
}
