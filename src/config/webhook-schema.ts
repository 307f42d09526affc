import { z } from 'zod';
import { BRANCH_PATTERN } from '../intent/names.js';
import { Name } from '../intent/schema.js';

const EnvName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { message: 'must be an environment variable name' });
/** git's ref rules, narrowed: no leading dash (an option), no `..`, no `@{`, nothing odd. */

/** Shortest secret accepted: an HMAC key that can be guessed protects nothing. */
export const MIN_SECRET_LENGTH = 16;

export const WEBHOOK_PROVIDERS = ['github', 'gitea'] as const;
export type WebhookProvider = (typeof WEBHOOK_PROVIDERS)[number];

export const DEFAULT_SECRET_ENV: Record<WebhookProvider, string> = {
  github: 'ORESI_GITHUB_WEBHOOK_SECRET',
  gitea: 'ORESI_GITEA_WEBHOOK_SECRET',
};

export const ProviderConfig = z.strictObject({
  /** The shared secret itself; prefer secretEnv so the config file holds no secret. */
  secret: z.string().min(MIN_SECRET_LENGTH).optional(),
  /** Env var holding the secret; defaults to ORESI_GITHUB_WEBHOOK_SECRET / ORESI_GITEA_WEBHOOK_SECRET. */
  secretEnv: EnvName.optional(),
  /** owner/name of the stacks repository; pushes to any other repository are ignored. */
  repo: z.string().regex(/^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/, { message: 'must be owner/name' }),
  branch: z.string().regex(BRANCH_PATTERN, { message: 'is not an acceptable branch name' }).default('main'),
  /** Intents requested, in order, after a successful pull. */
  intents: z.array(Name).min(1),
  /** The role (from `roles`) the webhook principal acts with. */
  role: Name,
});
export type ProviderConfig = z.infer<typeof ProviderConfig>;

export const WebhooksConfig = z.strictObject({
  github: ProviderConfig.optional(),
  gitea: ProviderConfig.optional(),
  /** The git work tree to fast-forward; defaults to stacksRoot. */
  repoDir: z.string().optional(),
  /** Push payloads list commits; GitHub caps them at 25 MB. */
  bodyLimitBytes: z.number().int().min(1024).max(26_214_400).default(1_048_576),
  /** Per git command (fetch over a network can be slow). */
  gitTimeoutSeconds: z.number().int().min(1).max(600).default(60),
}).prefault({});
export type WebhooksConfig = z.infer<typeof WebhooksConfig>;


/** The secret for a provider: from the config, else its env var; undefined when neither is set. */
export function resolveSecret(provider: WebhookProvider, cfg: ProviderConfig, env: Readonly<Record<string, string | undefined>>): string | undefined {
  return cfg.secret ?? env[cfg.secretEnv ?? DEFAULT_SECRET_ENV[provider]] ?? undefined;
}

/** For the redactor's known secrets. */
export function webhookSecrets(cfg: WebhooksConfig, env: Readonly<Record<string, string | undefined>>): string[] {
  return WEBHOOK_PROVIDERS.flatMap((p) => {
    const c = cfg[p];
    const s = c ? resolveSecret(p, c, env) : undefined;
    return s ? [s] : [];
  });
}
