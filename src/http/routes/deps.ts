import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../commands/types.js';
import type { Caller } from '../../model.js';
import { AppError } from '../../errors.js';
import type { HttpMetrics } from '../metrics.js';

export interface RouteDeps {
  ctx: AppContext;
  metrics: HttpMetrics;
}

/** The authenticated caller; the auth hook guarantees one on every non-public route. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new AppError('E_UNAUTHENTICATED', 'missing or invalid API key');
  return request.caller;
}
