import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../commands/types.js';
import { createWindowCounter, retryAfterSeconds, type WindowCount } from '../commands/window-counter.js';
import { createWindowThrottle } from '../commands/window-throttle.js';
import { AppError } from '../errors.js';
import type { Authenticator } from './auth.js';
import { normalizeIp, rateKeyForIp, resolveClientIp, type AddressSet } from './client-ip.js';
import { createCors } from './cors.js';
import { safeLogText } from './log-safety.js';
import type { HttpMetrics } from './metrics.js';
import { pathOf } from './request-log.js';
import { applyEdgeHeaders } from './security-headers.js';

export interface GuardDeps {
  ctx: AppContext;
  authenticator: Authenticator;
  trustedProxies: AddressSet;
  ipAllowlist: AddressSet;
  metrics: HttpMetrics;
}

const LIMIT_WINDOW_MS = 60_000;
/** Addresses and principals the limiters remember at once (about 100 bytes each). */
const LIMIT_MAX_KEYS = 100_000;
const KEY_USE_AUDIT_WINDOW_MS = 3_600_000;

function rateLimited(what: string, count: WindowCount): AppError {
  const seconds = retryAfterSeconds(count);
  return new AppError('E_RATE_LIMITED', `too many ${what}; retry in ${seconds} s`, { retryAfterSeconds: seconds });
}

/** The socket peer never changes on a keep-alive connection, so it is normalised once. */
const peers = new WeakMap<Socket, string | null>();
function peerOf(socket: Socket): string | undefined {
  let peer = peers.get(socket);
  if (peer === undefined) {
    peer = socket.remoteAddress ? normalizeIp(socket.remoteAddress) : null;
    peers.set(socket, peer);
  }
  return peer ?? undefined;
}

/**
 * The whole request pipeline, as one onRequest hook that runs before any body is read (so an
 * unauthenticated body is never parsed): request id and security headers; client IP, global
 * allowlist and per-IP limit (every route); CORS; then, except on public and signed-body routes,
 * the API key, the principal's own allowlist and its rate limit. One synchronous hook instead of
 * five cost-accounted ones roughly halved the edge's time per request (docs/performance.md); it
 * waits only when something must be audited.
 */
export function registerEdge(app: FastifyInstance, deps: GuardDeps): void {
  const { ctx, authenticator, metrics } = deps;
  const limits = ctx.config.server.rateLimit;
  const perIp = createWindowCounter(LIMIT_WINDOW_MS, LIMIT_MAX_KEYS);
  const authFailures = createWindowCounter(LIMIT_WINDOW_MS, LIMIT_MAX_KEYS);
  const perPrincipal = createWindowCounter(LIMIT_WINDOW_MS, LIMIT_MAX_KEYS);
  const keyUseAudit = createWindowThrottle(KEY_USE_AUDIT_WINDOW_MS);
  const cors = createCors(ctx.config.server.corsOrigins);

  const audit = async (request: FastifyRequest, event: Parameters<AppContext['audit']['append']>[0]) => {
    // Best effort: the refusal or the request does not depend on the audit write.
    await ctx.audit.append(event).catch((err: unknown) => request.log.warn({ err, type: event.type }, 'audit write failed'));
  };

  /** Counts a failed attempt, audits it and refuses it with one answer for every kind of failure. */
  async function refuseKey(request: FastifyRequest, reply: FastifyReply, ipKey: string, reason: string, now: number): Promise<never> {
    metrics.authFailures.inc({ reason });
    authFailures.hit(ipKey, now);
    request.log.warn({ reason, ip: request.clientIp }, 'authentication failed');
    await ctx.security.authFailure({
      ip: ipKey, via: 'api-key', reason, requestId: request.id,
      data: { method: request.method, path: safeLogText(ctx.redactor, pathOf(request.url), 200) },
    });
    reply.header('www-authenticate', 'Bearer');
    // One answer for every kind of failure: which one it was is in the log, not the response.
    throw new AppError('E_UNAUTHENTICATED', 'missing or invalid API key; send it as a bearer token in the Authorization header, or in X-API-Key');
  }

  /** Undefined when the request may go on; a promise when it must wait for the audit; throws to refuse. */
  function admit(request: FastifyRequest, reply: FastifyReply): Promise<void> | 'answered' | undefined {
    applyEdgeHeaders(reply, request.id);

    const now = ctx.sys.monotonic();
    request.clientIp = resolveClientIp(peerOf(request.socket), request.headers['x-forwarded-for'], deps.trustedProxies);
    if (deps.ipAllowlist.size > 0 && !deps.ipAllowlist.has(request.clientIp)) {
      throw new AppError('E_FORBIDDEN', `requests from ${request.clientIp} are not allowed (server.ipAllowlist)`);
    }
    const ipKey = rateKeyForIp(request.clientIp);
    const route = request.routeOptions.config;
    if (route?.rateLimit !== false) {
      const fromIp = perIp.hit(ipKey, now);
      if (fromIp.count > limits.perIpPerMinute) {
        metrics.rateLimited.inc({ scope: 'ip' });
        throw rateLimited('requests from this address', fromIp);
      }
    }
    if (cors?.(request, reply)) return 'answered';

    if (route?.public === true || route?.signedBody !== undefined) return undefined;
    const result = authenticator.authenticate(request.headers, ctx.sys.now());
    if (!result.ok) {
      // The failures are limited, not the address: a valid key from it still passes. Keys are
      // high-entropy, so this limit bounds audit and log noise rather than guessing.
      const failed = authFailures.peek(ipKey, now);
      if (failed.count >= limits.authFailuresPerIpPerMinute) {
        metrics.rateLimited.inc({ scope: 'auth' });
        throw rateLimited('failed authentications from this address', failed);
      }
      return refuseKey(request, reply, ipKey, result.reason, now);
    }
    const { principal, ipAllowlist } = result.owner;
    if (ipAllowlist && !ipAllowlist.has(request.clientIp)) {
      request.log.warn({ principal: principal.name, ip: request.clientIp }, 'principal not allowed from this address');
      throw new AppError('E_FORBIDDEN', `this key may not be used from ${request.clientIp}`);
    }
    request.caller = { principal, ip: request.clientIp, source: 'http', requestId: request.id };
    const fromPrincipal = perPrincipal.hit(principal.name, now);
    if (fromPrincipal.count > limits.perPrincipalPerMinute) {
      metrics.rateLimited.inc({ scope: 'principal' });
      throw rateLimited(`requests from ${principal.name}`, fromPrincipal);
    }
    // Where each key is used from, once per key and address per hour: a trail for incident
    // response without an audit row per request (runs are audited by commands anyway).
    if (keyUseAudit.take(`${principal.keyId ?? principal.name}|${request.clientIp}`, now).allowed) {
      return audit(request, { type: 'key.used', actor: principal.name, ip: request.clientIp, data: { keyId: principal.keyId ?? null, via: principal.via, requestId: request.id } });
    }
    return undefined;
  }

  app.addHook('onRequest', (request, reply, done) => {
    let outcome: ReturnType<typeof admit>;
    try {
      outcome = admit(request, reply);
    } catch (err) {
      done(err as Error);
      return;
    }
    if (outcome === undefined) done();
    else if (outcome !== 'answered') outcome.then(() => done(), (err: unknown) => done(err as Error));
  });
}
