import { z } from 'zod';

/**
 * What ran before a rollout: enough to put every service back on the exact image it ran,
 * and to prove afterwards that it did. Persisted as JSON and re-validated when read, because a
 * file on disk is input, not something we wrote a moment ago.
 */
export const POINT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

export const ContainerPoint = z.strictObject({
  id: z.string(),
  name: z.string(),
  imageId: z.string(),
  state: z.string(),
});

export const ServicePoint = z.strictObject({
  service: z.string().min(1),
  /** The ref the compose file declares (or, without one, the ref the container was made from). */
  imageRef: z.string(),
  /** The image id the service's newest container runs; what a rollback must restore. */
  imageId: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  repoDigests: z.array(z.string()),
  /** Local tag that keeps the image from being pruned: oresi-rollback/<stack>-<service>:<short>. */
  rollbackTag: z.string(),
  configHash: z.string().nullable(),
  composeVersion: z.string().nullable(),
  /** Set when the service's containers ran more than one image (a half-finished earlier up). */
  mixedImages: z.boolean(),
  containers: z.array(ContainerPoint),
});
export type ServicePoint = z.infer<typeof ServicePoint>;

export const RollbackPoint = z.strictObject({
  version: z.literal(1),
  id: z.string().regex(POINT_ID_PATTERN),
  stack: z.string(),
  /** ISO 8601 UTC. */
  createdAt: z.string(),
  /** The compose file oresi drives the stack with (the override is added after it). */
  composeFile: z.string(),
  /** Files the containers were created from (label), kept for the audit; may differ when made outside oresi. */
  containerConfigFiles: z.array(z.string()),
  services: z.array(ServicePoint),
});
export type RollbackPoint = z.infer<typeof RollbackPoint>;

export function isValidPointId(id: unknown): id is string {
  return typeof id === 'string' && POINT_ID_PATTERN.test(id);
}
