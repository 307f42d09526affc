import { z } from 'zod';
import { Name } from '../intent/schema.js';

/**
 * `notify:` in oresi.yaml — where alerts go. Webhook URLs are bearer secrets (anyone holding a
 * Discord or Slack webhook URL can post as oresi), so every sink can read its URL from an
 * environment variable instead of the file; the schema requires exactly one of the two.
 */
export const ALERT_KINDS = [
  'run.started', 'run.succeeded', 'run.failed', 'run.rolled_back',
  'approval.requested', 'drift.found', 'security.event',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const SINK_TYPES = ['discord', 'slack', 'kuma', 'healthchecks', 'ntfy', 'webhook'] as const;
export type SinkType = (typeof SINK_TYPES)[number];

const HttpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });
const EnvName = z.string().regex(/^[A-Z_][A-Z0-9_]{0,127}$/, { message: 'must be an environment variable name ([A-Z_][A-Z0-9_]*)' });
const Glob = z.string().regex(/^[a-z0-9_.*?-]{1,64}$/, { message: 'must be a name or a glob of [a-z0-9_.-*?]' });
const TimeoutMs = z.number().int().min(100).max(120_000).default(10_000);

const urlFields = { url: HttpUrl.optional(), urlEnv: EnvName.optional(), timeoutMs: TimeoutMs };

const DiscordSink = z.strictObject({ type: z.literal('discord'), ...urlFields, username: z.string().min(1).max(80).optional() });
const SlackSink = z.strictObject({ type: z.literal('slack'), ...urlFields });
const KumaSink = z.strictObject({ type: z.literal('kuma'), ...urlFields });
const HealthchecksSink = z.strictObject({ type: z.literal('healthchecks'), ...urlFields });
const NtfySink = z.strictObject({
  type: z.literal('ntfy'),
  /** The ntfy server; the public one unless you host your own. */
  url: HttpUrl.default('https://ntfy.sh'),
  urlEnv: EnvName.optional(),
  timeoutMs: TimeoutMs,
  /** The topic is effectively a password on a public server: prefer topicEnv. */
  topic: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  topicEnv: EnvName.optional(),
  /** Fixed priority 1 (min) … 5 (max); by default it follows the alert's severity. */
  priority: z.number().int().min(1).max(5).optional(),
  tags: z.array(z.string().regex(/^[A-Za-z0-9_+-]{1,32}$/)).max(5).default([]),
  /** Access token (tk_…) for a protected topic, sent as a Bearer token. */
  tokenEnv: EnvName.optional(),
});
const WebhookSink = z.strictObject({
  type: z.literal('webhook'),
  ...urlFields,
  /** Shared secret for X-Oresi-Signature (HMAC-SHA256 of the raw body). Unsigned without it. */
  secretEnv: EnvName.optional(),
});

export const SinkConfig = z.discriminatedUnion('type', [DiscordSink, SlackSink, KumaSink, HealthchecksSink, NtfySink, WebhookSink])
  .superRefine((sink, ctx) => {
    // ntfy has a default server URL, so only a clash is wrong there; every other sink needs one source.
    const hasUrl = sink.type === 'ntfy' ? false : sink.url !== undefined;
    if (hasUrl && sink.urlEnv !== undefined) ctx.addIssue({ code: 'custom', path: ['urlEnv'], message: 'give url or urlEnv, not both' });
    if (sink.type !== 'ntfy' && sink.url === undefined && sink.urlEnv === undefined) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'needs url or urlEnv (prefer urlEnv: webhook URLs are secrets)' });
    }
    if (sink.type === 'ntfy') {
      if ((sink.topic === undefined) === (sink.topicEnv === undefined)) {
        ctx.addIssue({ code: 'custom', path: ['topic'], message: 'needs exactly one of topic or topicEnv' });
      }
    }
  });
export type SinkConfig = z.infer<typeof SinkConfig>;

export const RouteConfig = z.strictObject({
  events: z.array(z.enum(ALERT_KINDS)).min(1),
  sinks: z.array(Name).min(1),
  /** Only alerts about these stacks (globs); alerts without a stack never match a filtered route. */
  stacks: z.array(Glob).min(1).optional(),
  intents: z.array(Glob).min(1).optional(),
});
export type RouteConfig = z.infer<typeof RouteConfig>;

export const RetryConfig = z.strictObject({
  /** Total tries per sink and alert, the first included. */
  attempts: z.number().int().min(1).max(20).default(5),
  baseDelayMs: z.number().int().min(1).max(60_000).default(500),
  maxDelayMs: z.number().int().min(1).max(600_000).default(30_000),
}).prefault({});
export type RetryConfig = z.infer<typeof RetryConfig>;

export const NotifyConfig = z.strictObject({
  sinks: z.record(Name, SinkConfig).default({}),
  routes: z.array(RouteConfig).default([]),
  retry: RetryConfig,
  /** Pending deliveries kept per sink; when full the oldest is dropped (and counted, logged, audited). */
  queueSize: z.number().int().min(1).max(100_000).default(1000),
}).superRefine((cfg, ctx) => {
  cfg.routes.forEach((route, i) => {
    route.sinks.forEach((name, j) => {
      if (!(name in cfg.sinks)) ctx.addIssue({ code: 'custom', path: ['routes', i, 'sinks', j], message: `no sink named ${name} in notify.sinks` });
    });
  });
  if (cfg.retry.baseDelayMs > cfg.retry.maxDelayMs) {
    ctx.addIssue({ code: 'custom', path: ['retry', 'baseDelayMs'], message: 'must not exceed maxDelayMs' });
  }
}).prefault({});
export type NotifyConfig = z.infer<typeof NotifyConfig>;
