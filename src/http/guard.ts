import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../commands/types.js';
import { AppError } from '../errors.js';
import type { Authenticator } from './auth.js';
import { rateKeyForIp, resolveClientIp, type AddressSet } from './client-ip.js';
import { safeLogText } from './log-safety.js';
import type { HttpMetrics } from './metrics.js';
import { createWindowThrottle } from '../commands/window-throttle.js';

export interface GuardDeps {
  ctx: AppContext;
  authenticator: Authenticator;
  trustedProxies: AddressSet;
  ipAllowlist: AddressSet;
  metrics: HttpMetrics;
}

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

const KEY_USE_AUDIT_WINDOW_MS = 3_600_000;

function rateLimited(what: string, retryAfterSeconds: number): AppError {
  const seconds = Math.max(1, retryAfterSeconds);
  return new AppError('E_RATE_LIMITED', `too many ${what}; retry in ${seconds} s`, { retryAfterSeconds: seconds });
}

/**
 * The request pipeline runs in onRequest, before any body is read, so an unauthenticated body
 * is never parsed. First: client IP, global allowlist, per-IP limit (every route).
 */
export function registerAddressGuard(app: FastifyInstance, deps: GuardDeps): void {
  const { metrics } = deps;
  const perIp: Limiter = app.createRateLimit({ max: deps.ctx.config.server.rateLimit.perIpPerMinute, timeWindow: 60_000, keyGenerator: (r) => `ip:${rateKeyForIp(r.clientIp)}` });
  app.addHook('onRequest', async (request) => {
    request.clientIp = resolveClientIp(request.socket.remoteAddress, request.headers['x-forwarded-for'], deps.trustedProxies);
    if (deps.ipAllowlist.size > 0 && !deps.ipAllowlist.has(request.clientIp)) {
      throw new AppError('E_FORBIDDEN', `requests from ${request.clientIp} are not allowed (server.ipAllowlist)`);
    }
    const ip = await perIp(request);
    if (!ip.isAllowed && ip.isExceeded) {
      metrics.rateLimited.inc({ scope: 'ip' });
      throw rateLimited('requests from this address', ip.ttlInSeconds);
    }
  });
}

/** The API key, the principal's own allowlist and its rate limit; skipped on public routes. */
export function registerAuthGuard(app: FastifyInstance, deps: GuardDeps): void {
  const { ctx, authenticator, metrics } = deps;
  const limits = ctx.config.server.rateLimit;
  const authFailures: Limiter = app.createRateLimit({ max: limits.authFailuresPerIpPerMinute, timeWindow: 60_000, keyGenerator: (r) => `fail:${rateKeyForIp(r.clientIp)}` });
  const perPrincipal: Limiter = app.createRateLimit({ max: limits.perPrincipalPerMinute, timeWindow: 60_000, keyGenerator: (r) => `p:${r.caller?.principal.name ?? ''}` });
  const keyUseAudit = createWindowThrottle(KEY_USE_AUDIT_WINDOW_MS);

  const audit = async (request: FastifyRequest, event: Parameters<AppContext['audit']['append']>[0]) => {
    // Best effort: the refusal or the request does not depend on the audit write.
    await ctx.audit.append(event).catch((err: unknown) => request.log.warn({ err, type: event.type }, 'audit write failed'));
  };

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const route = request.routeOptions.config;
    if (route?.public === true || route?.signedBody !== undefined) return;
    // An address that used up its failed attempts is refused even with a good key until the
    // window passes, so guessing cannot continue at full speed.
    const failed = await authFailures(request, { increment: false });
    if (!failed.isAllowed && failed.remaining === 0) {
      metrics.rateLimited.inc({ scope: 'auth' });
      throw rateLimited('failed authentications from this address', failed.ttlInSeconds);
    }
    const result = authenticator.authenticate(request.headers, ctx.sys.now());
    if (!result.ok) {
      metrics.authFailures.inc({ reason: result.reason });
      await authFailures(request);
      request.log.warn({ reason: result.reason, ip: request.clientIp }, 'authentication failed');
      await ctx.security.authFailure({
        ip: rateKeyForIp(request.clientIp), via: 'api-key', reason: result.reason, requestId: request.id,
        data: { method: request.method, path: safeLogText(ctx.redactor, request.url.split('?')[0] ?? '', 200) },
      });
      reply.header('www-authenticate', 'Bearer');
      // One answer for every kind of failure: which one it was is in the log, not the response.
      throw new AppError('E_UNAUTHENTICATED', 'missing or invalid API key; send Authorization: Bearer <key> or X-API-Key: <key>');
    }
    const { principal, ipAllowlist } = result.owner;
    if (ipAllowlist && !ipAllowlist.has(request.clientIp)) {
      request.log.warn({ principal: principal.name, ip: request.clientIp }, 'principal not allowed from this address');
      throw new AppError('E_FORBIDDEN', `this key may not be used from ${request.clientIp}`);
    }
    request.caller = { principal, ip: request.clientIp, source: 'http', requestId: request.id };
    const limit = await perPrincipal(request);
    if (!limit.isAllowed && limit.isExceeded) {
      metrics.rateLimited.inc({ scope: 'principal' });
      throw rateLimited(`requests from ${principal.name}`, limit.ttlInSeconds);
    }
    // Where each key is used from, once per key and address per hour: a trail for incident
    // response without an audit row per request (runs are audited by commands anyway).
    if (keyUseAudit.take(`${principal.keyId ?? principal.name}|${request.clientIp}`, ctx.sys.monotonic()).allowed) {
      await audit(request, { type: 'key.used', actor: principal.name, ip: request.clientIp, data: { keyId: principal.keyId ?? null, via: principal.via, requestId: request.id } });
    }
  });
}
