import { z } from 'zod';
import { ROLLOUT_HEALTH_TIMEOUT_DEFAULT, ROLLOUT_HEALTH_TIMEOUT_MAX } from '../intent/schema.js';
/** Stacks at once; more would only queue on the engine. */
export const MAX_ROLLOUT_CONCURRENCY = 16;

/** `rollout:` in oresi.yaml. */
export const RolloutConfig = z.strictObject({
  /** Default health wait of ad-hoc rollouts (intents set theirs per step). */
  healthTimeoutSeconds: z.number().int().min(1).max(ROLLOUT_HEALTH_TIMEOUT_MAX).default(ROLLOUT_HEALTH_TIMEOUT_DEFAULT),
  /** How often the engine is asked about the services' state during a health wait. */
  pollMs: z.number().int().min(50).max(60_000).default(1000),
  /** How long a healthy state must hold before it counts. */
  stableMs: z.number().int().min(0).max(600_000).default(0),
  /** Stacks rolled out at once by `oresi rollout --all` / several names. */
  concurrency: z.number().int().min(1).max(MAX_ROLLOUT_CONCURRENCY).default(2),
  /** Whole-run timeout of an ad-hoc rollout or rollback (pull, up, health wait and a rollback). */
  timeoutSeconds: z.number().int().min(60).max(3600).default(1800),
}).prefault({});
export type RolloutConfig = z.infer<typeof RolloutConfig>;

