import type { Caller } from '../model.js';

/** What the edge hooks attach to each request, and the per-route switches they read. */
declare module 'fastify' {
  interface FastifyRequest {
    /** Decided once per request in the first hook (socket peer, or trusted-proxy XFF). */
    clientIp: string;
    /** Set by the auth hook; null only on public routes. */
    caller: Caller | null;
  }
  interface FastifyContextConfig {
    /** No API key required (health probes). */
    public?: boolean;
    /** `false`: outside the per-address limit (liveness and readiness probes do no work). */
    rateLimit?: false;
    /**
     * Authenticated by the platform's signature over the raw body (chat edges, git webhooks),
     * checked in the route itself; no API key. The IP allowlist and per-IP limit still apply.
     */
    signedBody?: 'discord' | 'slack' | 'github' | 'gitea';
  }
}

export {};
