import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, validatorCompiler } from 'fastify-type-provider-zod';
import type { AppContext } from '../commands/types.js';
import { createAuthenticator } from './auth.js';
import { createAddressSet } from './client-ip.js';
import { createClientErrorHandler, createFrameworkErrorHandler } from './client-errors.js';
import { registerErrorHandlers } from './error-reply.js';
import './fastify-augment.js';
import { registerEdge } from './guard.js';
import { buildLoggerSettings, type HttpLogger } from './log-safety.js';
import { attachObserver, createMetrics } from './metrics.js';
import { pickRequestId, RequestLogController } from './request-log.js';
import { registerAuditRoutes } from './routes/audit.js';
import type { RouteDeps } from './routes/deps.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerIntentRoutes } from './routes/intents.js';
import { registerLegacyRoutes } from './routes/legacy.js';
import { registerStackRoutes } from './routes/stacks.js';
import { registerDriftRoutes } from './routes/drift.js';
import { registerWebhookRoutes } from '../webhooks/routes.js';
import { registerChatRoutes } from '../chat/routes.js';
import { registerAppHostMetrics } from '../metrics/app-metrics.js';
import { registerMetricsRoute } from './routes/metrics.js';
import { registerOpenApiRoute } from './routes/openapi.js';
import { registerRunRoutes } from './routes/runs.js';
import { applyEdgeHeaders } from './security-headers.js';
import { holdResponsesToTurnEnd } from './turn-batch.js';

export interface ServerOptions {
  /** Pino options (e.g. `{ level: 'info', stream }`) or a logger instance. */
  logger: HttpLogger;
  /** An extra admin key for `npm start --demo`; same rules as ORESI_API_KEY. */
  demoKey?: string;
  version: string;
}

/**
 * The HTTP edge for `oresi serve`. Everything that can be wrong with the config (unknown roles,
 * weak env keys, bad CIDRs) throws here, before a port is opened. The caller listens.
 */
export async function createServer(ctx: AppContext, opts: ServerOptions): Promise<FastifyInstance> {
  const server = ctx.config.server;
  const authenticator = createAuthenticator(ctx.config, ctx.sys.env, opts.demoKey);
  const trustedProxies = createAddressSet(server.trustedProxies, 'server.trustedProxies', { refuseEverything: true });
  const ipAllowlist = createAddressSet(server.ipAllowlist, 'server.ipAllowlist');
  const metrics = createMetrics(ctx, opts.version);
  attachObserver(ctx, metrics.observer);

  const { destination, ...logging } = buildLoggerSettings(opts.logger, ctx.redactor);
  const app = Fastify({
    ...logging,
    bodyLimit: server.bodyLimitBytes,
    genReqId: (req) => pickRequestId(req.headers['x-request-id'], ctx.sys.newId),
    // Fastify's own request lines are off; request-log.ts writes one line per request instead.
    logController: new RequestLogController(ctx.redactor),
    // The client IP is decided by client-ip.ts from config.server.trustedProxies, never here.
    trustProxy: false,
    return503OnClosing: true,
    // Receiving a request must not take long (slow-loris); waiting for a run is the reply's time.
    requestTimeout: server.requestTimeoutSeconds * 1000,
    // node checks both bounds on a timer; its 30 s default would let either overrun by that much.
    http: receiveTimeouts(server),
    routerOptions: { maxParamLength: 200 },
    // Parser and router refusals come before any hook: answered here in the same contract.
    clientErrorHandler: createClientErrorHandler(ctx.sys.newId),
    frameworkErrors: createFrameworkErrorHandler(ctx.redactor, applyEdgeHeaders),
  });
  // Declared up front so every request object has the same shape (V8 hidden classes).
  app.decorateRequest('clientIp', '');
  app.decorateRequest('caller', null);
  if (destination) app.addHook('onClose', async () => destination.flush());
  // Every response of an event-loop turn leaves at the end of that turn, together (turn-batch.ts).
  holdResponsesToTurnEnd(app, (err) => app.log.error({ err }, 'deferred response failed'));
  app.setValidatorCompiler(validatorCompiler);
  // Only JSON bodies; text/plain would otherwise be accepted as a string.
  app.removeContentTypeParser('text/plain');

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'oresi', version: opts.version, description: 'GitOps ChatOps control plane for Docker Compose stacks' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
      },
      security: [{ bearer: [] }, { apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });

  registerEdge(app, { ctx, authenticator, trustedProxies, ipAllowlist, metrics });
  registerErrorHandlers(app, ctx.redactor);
  await registerChatRoutes(app, ctx);

  const deps: RouteDeps = { ctx, metrics };
  registerHealthRoutes(app, deps);
  registerMetricsRoute(app, deps);
  registerOpenApiRoute(app);
  registerIntentRoutes(app, deps);
  registerRunRoutes(app, deps);
  registerStackRoutes(app, deps);
  registerDriftRoutes(app, deps);
  registerAuditRoutes(app, deps);
  registerLegacyRoutes(app, deps);
  registerWebhookRoutes(app, ctx);
  registerAppHostMetrics(metrics.registry, ctx);

  if (authenticator.keyCount === 0) {
    app.log.warn('no API keys configured (principals[].keys, ORESI_API_KEY): every API call will be refused');
  }
  return app;
}

/** The node server's own bounds on receiving a request, as configured (tested in server-timeouts.test.ts). */
function receiveTimeouts(server: AppContext['config']['server']): { requestTimeout: number; headersTimeout: number; connectionsCheckingInterval: number } {
  const requestTimeout = server.requestTimeoutSeconds * 1000;
  const headersTimeout = Math.min(server.headersTimeoutSeconds * 1000, requestTimeout);
  return { requestTimeout, headersTimeout, connectionsCheckingInterval: Math.min(1000, headersTimeout / 2) };
}

/**
 * Graceful stop: refuse new requests, let running runs finish (up to timeoutMs), then wait for
 * open responses (e.g. ?wait=true) within what is left of the same budget.
 */
export async function stopServer(app: FastifyInstance, ctx: AppContext, timeoutMs: number): Promise<{ drained: boolean; closed: boolean }> {
  const started = ctx.sys.monotonic();
  let closed = false;
  const closing = app.close().then(() => { closed = true; });
  await ctx.active.drain(timeoutMs);
  const left = Math.max(0, timeoutMs - (ctx.sys.monotonic() - started));
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([closing, new Promise<void>((resolve) => { timer = setTimeout(resolve, left); })]);
  clearTimeout(timer);
  return { drained: ctx.active.size() === 0, closed };
}
