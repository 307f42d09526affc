import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Redactor } from '../model.js';
import { escapeControl, safeLogText } from './log-safety.js';

/** A valid incoming X-Request-Id is kept (so a proxy's id correlates); anything else is replaced. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export function pickRequestId(header: string | string[] | undefined, newId: () => string): string {
  return typeof header === 'string' && REQUEST_ID_PATTERN.test(header) ? header : newId();
}

/** The path of a request URL, without its query string. */
export function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/**
 * One JSON line per request, written when the response has finished (the request id comes from
 * the logger's bindings). No headers, no bodies; the path is escaped and redacted because it is
 * caller-controlled. Fastify's own request lines stay off. Written from Fastify's log controller
 * rather than an onResponse hook: the controller is called on the response's `finish` anyway,
 * and a hook there costs a hook runner per request (docs/performance.md).
 */
export class RequestLogController extends LogController {
  constructor(private readonly redactor: Redactor) {
    super({ requestIdLogLabel: 'requestId', disableRequestLogging: true });
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = {
      ip: request.clientIp || null,
      principal: request.caller?.principal.name ?? null,
      method: escapeControl(request.method),
      route: request.routeOptions.url ?? null,
      path: safeLogText(this.redactor, pathOf(request.url), 300),
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
    };
    // An error here is the response stream's (the client went away mid-answer), not the route's.
    if (error) request.log.warn({ ...line, err: error }, 'request');
    else request.log.info(line, 'request');
  }
}
