import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../commands/types.js';
import { AppError } from '../errors.js';
import { errorBody } from '../http/error-reply.js';
import { createSqliteDeliveryStore, type DeliveryStore } from './delivery-store.js';
import { handleDelivery, webhookCaller, type DeliveryDeps } from './handle-delivery.js';
import { isValidDeliveryId, parsePayload } from './push-event.js';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, verifySignature } from './signature.js';
import { DEFAULT_SECRET_ENV, MIN_SECRET_LENGTH, resolveSecret, WEBHOOK_PROVIDERS, type ProviderConfig, type WebhookProvider, type WebhooksConfig } from '../config/webhook-schema.js';

export interface WebhookRouteDeps {
  /** Defaults to `webhooks` of ctx.config. */
  config?: WebhooksConfig;
  /** Defaults to <dataDir>/webhooks.db (closed with the server). */
  store?: DeliveryStore;
}

export interface WebhookRoutes {
  /** Providers with a route (`POST /v1/hooks/<provider>`). */
  providers: WebhookProvider[];
  /** Resolves when every run chain started by a delivery so far has ended. */
  idle(): Promise<void>;
}

interface Prepared {
  provider: WebhookProvider;
  cfg: ProviderConfig;
  secret: string;
}


/**
 * `POST /v1/hooks/github` and `/v1/hooks/gitea` for the providers configured under `webhooks`.
 * They need no API key (route config `signedBody`, honoured by the auth guard): the identity is
 * the HMAC over the raw body, checked before a byte of it is parsed. The raw-body parser lives in its
 * own encapsulated scope so the rest of the API keeps its JSON-only parsing.
 */
export function registerWebhookRoutes(app: FastifyInstance, ctx: AppContext, deps: WebhookRouteDeps = {}): WebhookRoutes {
  const config = deps.config ?? ctx.config.webhooks;
  const providers = prepareProviders(ctx, config);
  const inflight = new Set<Promise<unknown>>();
  const handle: WebhookRoutes = {
    providers: providers.map((p) => p.provider),
    async idle() {
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
  };
  if (providers.length === 0) return handle;

  const store = deps.store ?? createSqliteDeliveryStore(join(ctx.config.dataDir, 'webhooks.db'));
  if (!deps.store) app.addHook('onClose', async () => store.close());
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn, fn);
    chain = next.catch(() => undefined);
    return next;
  };
  const track = (work: Promise<unknown>) => {
    const done = work.catch((err: unknown) => ctx.logger.error({ err: String(err) }, 'webhook: run chain failed')).finally(() => inflight.delete(done));
    inflight.add(done);
  };
  const bodyLimit = config.bodyLimitBytes;

  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(['application/json', 'application/x-www-form-urlencoded'], { parseAs: 'buffer', bodyLimit }, (_req, body, done) => done(null, body));
    for (const p of providers) {
      const dd: DeliveryDeps = { ctx, provider: p.provider, cfg: p.cfg, store, repoDir: config.repoDir ?? ctx.config.stacksRoot, gitTimeoutMs: config.gitTimeoutSeconds * 1000, serial, track };
      scope.post(`/v1/hooks/${p.provider}`, {
        bodyLimit,
        config: { signedBody: p.provider },
        schema: { summary: `${p.provider} push webhook (HMAC-signed; no API key)`, tags: ['webhooks'] },
      }, async (request, reply) => {
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        if (!verifySignature(p.provider, p.secret, body, request.headers[SIGNATURE_HEADER[p.provider]])) {
          await auditBadSignature(ctx, request, p.provider);
          throw new AppError('E_UNAUTHENTICATED', `missing or invalid ${SIGNATURE_HEADER[p.provider]} signature`);
        }
        request.caller = webhookCaller(ctx, p.provider, p.cfg, request.clientIp, request.id);
        return deliver(request, reply, dd, body);
      });
    }
  });
  return handle;
}

/** Answers with the body to send (the status set on `reply`), or throws the refusal. */
async function deliver(request: FastifyRequest, reply: FastifyReply, dd: DeliveryDeps, body: Buffer): Promise<object> {
  const deliveryId = request.headers[DELIVERY_HEADER[dd.provider]];
  if (!isValidDeliveryId(deliveryId)) throw new AppError('E_BAD_REQUEST', `${DELIVERY_HEADER[dd.provider]} is missing or not a delivery id`);
  const event = request.headers[EVENT_HEADER[dd.provider]];
  if (typeof event !== 'string' || event === '') throw new AppError('E_BAD_REQUEST', `${EVENT_HEADER[dd.provider]} is missing`);
  const payload = parsePayload(body, request.headers['content-type']);
  if (!payload.ok) throw new AppError('E_BAD_REQUEST', payload.error);
  const result = await handleDelivery(dd, { event, deliveryId, payload: payload.value, ip: request.clientIp, requestId: request.id });
  if (result.status === 'refused') {
    // Not a 2xx: the provider's delivery log then shows the operator that nothing was deployed.
    reply.code(409);
    return { ...errorBody(request, dd.ctx.redactor, 'E_CONFLICT', result.reason), status: 'refused', delivery: deliveryId };
  }
  reply.code(result.status === 'accepted' ? 202 : 200);
  return { ...result, delivery: deliveryId };
}

async function auditBadSignature(ctx: AppContext, request: FastifyRequest, provider: WebhookProvider): Promise<void> {
  request.log.warn({ provider, ip: request.clientIp }, 'webhook signature refused');
  await ctx.security.authFailure({ ip: request.clientIp, via: provider, reason: 'webhook-signature', requestId: request.id, data: { path: `/v1/hooks/${provider}` } });
}

/** Everything wrong with the webhook config stops start-up (invariant 7). */
export function prepareProviders(ctx: AppContext, config: WebhooksConfig): Prepared[] {
  const out: Prepared[] = [];
  for (const provider of WEBHOOK_PROVIDERS) {
    const cfg = config[provider];
    if (!cfg) continue;
    const where = `webhooks.${provider}`;
    const secret = resolveSecret(provider, cfg, ctx.sys.env);
    if (!secret) throw new AppError('E_CONFIG_INVALID', `${where}: no secret; set ${cfg.secretEnv ?? DEFAULT_SECRET_ENV[provider]} or ${where}.secret`);
    if (secret.length < MIN_SECRET_LENGTH) throw new AppError('E_CONFIG_INVALID', `${where}: the secret is shorter than ${MIN_SECRET_LENGTH} characters`);
    if (!ctx.config.roles[cfg.role]) throw new AppError('E_CONFIG_INVALID', `${where}.role: no role named ${cfg.role} in roles`);
    for (const intent of cfg.intents) {
      if (!ctx.catalog.getIntent(intent)) throw new AppError('E_CONFIG_INVALID', `${where}.intents: no intent named ${intent}`);
    }
    out.push({ provider, cfg, secret });
  }
  return out;
}
