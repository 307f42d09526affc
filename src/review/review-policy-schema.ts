import { z } from 'zod';
import { POLICY_REDACTION_SHAPE, type DocRule } from '../policy/policy-schema.js';
import { CATEGORIES } from './types.js';

/**
 * The review and guardrail parts of policy.yaml. To merge into the full policy schema, spread
 * REVIEW_POLICY_SHAPE next to POLICY_REDACTION_SHAPE; every field has a default, so a policy
 * file without these sections (or no policy file) reviews with the defaults below.
 */
const RelPath = z.string().min(1).max(256)
  .refine((p) => !p.startsWith('/') && !p.split('/').includes('..') && !p.includes('\\'), {
    message: 'must be a relative path with forward slashes and no ".."',
  });

export const ImagePinning = z.strictObject({
  /** `:latest` or no tag at all fails `oresi check`. */
  forbidLatest: z.boolean().default(true),
  /** Floating tags (`:1`, `:1.2`, `:stable`) fail `oresi check` too (review always marks them down). */
  forbidFloating: z.boolean().default(false),
  /** Every changed image must carry `@sha256:…`. */
  requireDigest: z.boolean().default(false),
  /** Images must name their registry (`ghcr.io/…`, `docker.io/…`) instead of relying on Docker Hub's default. */
  requireRegistry: z.boolean().default(false),
  /** When not empty, images must come from one of these registries (host[:port]). */
  allowedRegistries: z.array(z.string().min(1).max(253)).default([]),
});
export type ImagePinning = z.infer<typeof ImagePinning>;

export const Guardrails = z.strictObject({
  images: ImagePinning.prefault({}),
  /** Env files a PR must never add or change (they hold the stack's secrets). */
  envFiles: z.array(RelPath).default(['**/.env', '**/*.env', '**/.env.*']),
  /** … except these templates. */
  envFileTemplates: z.array(RelPath).default(['**/*.example', '**/*.sample', '**/*.template', '**/*.dist']),
});
export type Guardrails = z.infer<typeof Guardrails>;

export const ReviewSettings = z.strictObject({
  /** Where the Dockge stack folders live in the repository. */
  stacksDir: RelPath.default('stacks'),
  intentsDir: RelPath.default('intents'),
  /** Below this overall score (0–100) a PR is blocked. */
  minScore: z.number().int().min(0).max(100).default(80),
  /** A category at or below this (0–5) blocks, whatever the average. */
  blockAtOrBelow: z.number().int().min(-1).max(5).default(1),
  /** Relative weights for the average; a missing category weighs 1. */
  weights: z.partialRecord(z.enum(CATEGORIES), z.number().min(0).max(10)).default({}),
  /** Words that count as "this new service is monitored" in labels, the PR body or added lines. */
  monitoringWords: z.array(z.string().min(2).max(64)).default(['kuma', 'uptime', 'alert', 'monitor', 'healthchecks.io', 'gatus']),
  /** Added lines in these files count as backup documentation or a backup intent. */
  backupPaths: z.array(RelPath).default(['**/*backup*', '**/*backup*/**', 'docs/**']),
});
export type ReviewSettings = z.infer<typeof ReviewSettings>;

export const REVIEW_POLICY_SHAPE = {
  review: ReviewSettings.prefault({}),
  guardrails: Guardrails.prefault({}),
};

/** policy.yaml as the review reads it: redaction and docs rules plus review and guardrails. */
export const ReviewPolicyFile = z.strictObject({ ...POLICY_REDACTION_SHAPE, ...REVIEW_POLICY_SHAPE });
export type ReviewPolicyFile = z.infer<typeof ReviewPolicyFile>;

/**
 * With no policy.yaml at all, stack changes still need a note somewhere a person reads; a
 * policy file states its own rules (an empty `docs.required` means none).
 */
export const DEFAULT_DOC_RULES: DocRule[] = [{
  paths: ['stacks/**'],
  docs: ['docs/**', '**/*.md'],
  message: 'a stack change needs a docs or changelog update',
}];

export function defaultReviewPolicy(): ReviewPolicyFile {
  const policy = ReviewPolicyFile.parse({});
  return { ...policy, docs: { required: DEFAULT_DOC_RULES } };
}
