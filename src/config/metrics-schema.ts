import { z } from 'zod';

const EnvName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { message: 'must be an environment variable name' });

export const MetricsConfig = z.strictObject({
  /** Extra filesystems to report free/total bytes for (the data dir is always reported). */
  diskPaths: z.array(z.string().min(1)).max(32).default([]),
  /** Uptime Kuma's Prometheus endpoint (`<url>/metrics`), for the green/amber/red counts. */
  kuma: z.strictObject({
    url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }),
    /** Env var holding a Kuma API key (sent as basic auth with an empty user name). */
    apiKeyEnv: EnvName.default('ORESI_KUMA_API_KEY'),
    timeoutMs: z.number().int().min(100).max(60_000).default(5_000),
  }).optional(),
  /** How long a scrape of /metrics reuses the last collection. */
  cacheSeconds: z.number().int().min(0).max(3600).default(10),
}).prefault({});
export type MetricsConfig = z.infer<typeof MetricsConfig>;


/** For the redactor's known secrets. */
export function metricsSecrets(cfg: MetricsConfig, env: Readonly<Record<string, string | undefined>>): string[] {
  const key = cfg.kuma ? env[cfg.kuma.apiKeyEnv] : undefined;
  return key ? [key] : [];
}
