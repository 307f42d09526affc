import { z } from 'zod';
import { ChangeWindows, Name } from '../intent/schema.js';
import { ACTIONS } from '../model.js';
import { ChatConfig } from './chat-schema.js';
import { MetricsConfig } from './metrics-schema.js';
import { RolloutConfig } from './rollout-schema.js';
import { NotifyConfig } from './notify-schema.js';
import { SchedulesConfig } from './schedule-schema.js';
import { WebhooksConfig } from './webhook-schema.js';
import { GiteaApprovalConfig, GithubApprovalConfig, GitopsConfig, PrGate } from './approval-schema.js';

/**
 * oresi.yaml, validated. Unknown keys are rejected everywhere (strictObject) so a typo stops
 * start-up instead of silently disabling a safety setting. Relative paths are resolved against
 * the config file's folder by config/load.ts.
 */
const Cidr = z.string().min(1).max(64);
const Glob = z.string().regex(/^[a-z0-9_.*?-]{1,64}$/, { message: 'must be a name or a glob of [a-z0-9_.-*?]' });
const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, { message: 'must be 64 lowercase hex characters (SHA-256 of the key)' });

export const ApiKeyConfig = z.strictObject({
  /** A label for logs and audit, never the key itself. */
  id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/).optional(),
  sha256: Sha256Hex,
  /** ISO date or date-time after which the key is refused. */
  expires: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  revoked: z.boolean().default(false),
});

export const PrincipalConfig = z.strictObject({
  name: Name,
  keys: z.array(ApiKeyConfig).default([]),
  roles: z.array(Name).default([]),
  ipAllowlist: z.array(Cidr).optional(),
});
export type PrincipalConfig = z.infer<typeof PrincipalConfig>;

export const RoleConfig = z.strictObject({
  intents: z.array(Glob).default(['*']),
  stacks: z.array(Glob).default(['*']),
  actions: z.array(z.union([z.enum(ACTIONS), z.literal('*')])).default(['*']),
  /** May list and plan, never run. */
  readOnly: z.boolean().default(false),
  /** May approve runs requested by others. */
  approve: z.boolean().default(false),
  /** Approvals this role's requests need (the stricter of this, the intent and the global). */
  quorum: z.number().int().min(0).max(10).optional(),
  /** May read and verify the audit trail (it names every principal and run). */
  audit: z.boolean().default(false),
});
export type RoleConfig = z.infer<typeof RoleConfig>;

export const ServerConfig = z.strictObject({
  /** host:port; loopback unless you mean it. */
  listen: z.string().default('127.0.0.1:8080'),
  /** Peers whose X-Forwarded-For is believed. Never "everyone". */
  trustedProxies: z.array(Cidr).default([]),
  /** Global client-IP allowlist; empty means any address (auth still applies). */
  ipAllowlist: z.array(Cidr).default([]),
  bodyLimitBytes: z.number().int().min(1024).max(1_048_576).default(65_536),
  corsOrigins: z.array(z.url()).default([]),
  rateLimit: z.strictObject({
    perPrincipalPerMinute: z.number().int().min(1).default(120),
    perIpPerMinute: z.number().int().min(1).default(300),
    authFailuresPerIpPerMinute: z.number().int().min(1).default(10),
  }).prefault({}),
  /** Receiving a whole request (headers and body) must not take longer (slow-loris); answered 408. */
  requestTimeoutSeconds: z.number().int().min(1).max(600).default(30),
  /** Receiving the headers must not take longer; at most requestTimeoutSeconds. Answered 408. */
  headersTimeoutSeconds: z.number().int().min(1).max(600).default(10),
  /** Upper bound for ?wait=true and the original POST /run. */
  waitTimeoutSeconds: z.number().int().min(1).max(3600).default(120),
}).prefault({});
export type ServerConfig = z.infer<typeof ServerConfig>;

export const Config = z.strictObject({
  stacksRoot: z.string().default('/opt/stacks'),
  intentsDir: z.string().default('./intents'),
  dataDir: z.string().default('./data'),
  /** policy.yaml (redaction, doc rules, review and guardrails); built-in defaults without it. */
  policyFile: z.string().optional(),
  /** When set, only these stacks exist for oresi. */
  stacks: z.array(Name).optional(),
  compose: z.strictObject({
    dialect: z.enum(['auto', 'v1', 'v2']).default('auto'),
    /** Extra variables passed from oresi's environment to compose (for ${VAR} substitution). */
    passEnv: z.array(z.string().regex(/^[A-Z_][A-Z0-9_]*$/)).default([]),
  }).prefault({}),
  docker: z.strictObject({
    /** unix:///var/run/docker.sock or tcp://host:port; DOCKER_HOST wins when set. */
    host: z.string().default('unix:///var/run/docker.sock'),
  }).prefault({}),
  limits: z.strictObject({
    /** Per step, per stream. Output past this is cut and the cut is marked. */
    outputBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(1_048_576),
    /** Grace between SIGTERM and SIGKILL on timeout or cancel. */
    killGraceMs: z.number().int().min(0).max(60_000).default(5_000),
  }).prefault({}),
  /** What start-up does with processes a crashed oresi process left running (docs/reliability.md). */
  recovery: z.strictObject({
    /** terminate: SIGTERM, then SIGKILL after limits.killGraceMs; wait: let it end, then terminate. */
    orphans: z.enum(['terminate', 'wait']).default('terminate'),
    /** With `wait`: how long an orphan may run on before it is terminated. */
    orphanWaitSeconds: z.number().int().min(0).max(86_400).default(600),
  }).prefault({}),
  server: ServerConfig,
  approvals: z.strictObject({
    /**
     * What to do with an intent's `approval.label` while no PR verifier (GitHub/Gitea) is
     * configured: `refuse` (fail closed, the default) or `allow` — an explicit operator choice
     * that is logged at start-up and written into every affected run's audit record.
     */
    unverifiedLabels: z.enum(['refuse', 'allow']).default('refuse'),
    /** The gate a bare `approval.label` is verified with (everything but the label). */
    defaultPr: PrGate.omit({ label: true }).optional(),
    github: GithubApprovalConfig.optional(),
    gitea: GiteaApprovalConfig.optional(),
    /** How long a successful PR verification is reused; 0 disables the cache. */
    cacheSeconds: z.number().int().min(0).max(600).default(30),
    /** Per HTTP request to GitHub/Gitea. */
    timeoutMs: z.number().int().min(100).max(60_000).default(5_000),
    /** Requirements every intent gets on top of its own (the stricter wins). */
    require: z.strictObject({
      quorum: z.number().int().min(0).max(10).optional(),
      windows: ChangeWindows.optional(),
    }).optional(),
    /** An approval counts this long after it was given. */
    ttlSeconds: z.number().int().min(60).max(7 * 86_400).default(3_600),
    /** A run waiting for approvals expires after this long. */
    pendingTtlSeconds: z.number().int().min(60).max(30 * 86_400).default(86_400),
    /** Time zone for change windows. */
    timeZone: z.string().min(1).max(64).default('UTC'),
  }).prefault({}),
  /** When set, an intent runs only if it is byte-identical to the tip of this branch. */
  gitops: GitopsConfig.optional(),
  /** Alert sinks and which events go where (docs/alerts.md). */
  notify: NotifyConfig,
  /** Host metrics: extra disk paths, Uptime Kuma's Prometheus endpoint. */
  metrics: MetricsConfig,
  /** Signed GitHub/Gitea push webhooks that pull the stacks repo and run intents. */
  webhooks: WebhooksConfig,
  /** Cron entries that run intents. */
  schedules: SchedulesConfig,
  /** Discord and Slack ChatOps (docs/chat.md). */
  chat: ChatConfig,
  /** Health-checked rollouts: health wait, polling, concurrency. */
  rollout: RolloutConfig,
  principals: z.array(PrincipalConfig).default([]),
  cli: z.strictObject({
    /** OS login → principal: the CLI then acts as that principal (its roles, its name). */
    users: z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/), Name).default({}),
  }).prefault({}),
  roles: z.record(Name, RoleConfig).default({}),
});
export type Config = z.infer<typeof Config>;
