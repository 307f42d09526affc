import { z } from 'zod';
import { checkPatternSafety } from './patterns-check.js';

/**
 * The redaction and "doc update required" parts of policy.yaml. Strict objects: a typo in a
 * safety setting must stop start-up, not silently fall back to a default. Compose these shapes
 * into the full policy schema (`z.strictObject({ ...POLICY_REDACTION_SHAPE, … })`).
 */

/** The original redact_env.py keep-list, exactly. */
export const DEFAULT_SAFE_KEYS = ['TZ', 'PUID', 'PGID', 'UID', 'GID', 'UMASK', 'PORT', 'HOST', 'URL'] as const;

export const RedactionPatternConfig = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/, { message: 'must match ^[a-z0-9][a-z0-9_.-]{0,62}$' }),
  /**
   * JavaScript regex source (no slashes). Named groups whose names start with `secret` mark the
   * part to replace, e.g. `session=(?<secret>[a-f0-9]{32})`; without them the whole match is.
   */
  regex: z.string().min(1).max(2048),
  /** Only case-insensitivity may be chosen; the redactor adds its own `g` and `d`. */
  flags: z.string().default(''),
  description: z.string().max(500).optional(),
}).superRefine((pattern, ctx) => {
  const problem = checkPatternSafety(pattern.regex, pattern.flags);
  if (problem) ctx.addIssue({ code: 'custom', path: ['regex'], message: `pattern "${pattern.name}" ${problem}` });
});
export type RedactionPatternConfig = z.infer<typeof RedactionPatternConfig>;

export const RedactionPolicy = z.strictObject({
  marker: z.string().min(1).max(64).default('***REDACTED***'),
  safeKeys: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/)).default([...DEFAULT_SAFE_KEYS]),
  /** `KEY=true` / `KEY=false` stay readable in env files. */
  keepBooleans: z.boolean().default(true),
  /** `KEY=` stays readable in env files. */
  keepEmpty: z.boolean().default(true),
  patterns: z.array(RedactionPatternConfig).default([]),
  /** Use the values in stacks' .env and global.env as known secrets. */
  useStackEnvSecrets: z.boolean().default(true),
  /** Shorter values are not matched exactly, so PUID=1 does not redact every "1". */
  minSecretLength: z.number().int().min(1).max(1024).default(6),
}).superRefine((policy, ctx) => {
  const names = new Set<string>();
  policy.patterns.forEach((p, i) => {
    if (names.has(p.name)) ctx.addIssue({ code: 'custom', path: ['patterns', i, 'name'], message: `duplicate pattern name "${p.name}"` });
    names.add(p.name);
  });
});
export type RedactionPolicy = z.infer<typeof RedactionPolicy>;

/** A repository path glob: relative, forward slashes, no `..`. */
const PathGlob = z.string().min(1).max(256)
  .refine((g) => !g.startsWith('/') && !g.split('/').includes('..') && !g.includes('\\'), {
    message: 'must be a relative path glob with forward slashes and no ".."',
  });

export const DocRule = z.strictObject({
  /** A change touching any of these paths … */
  paths: z.array(PathGlob).min(1),
  /** … must also touch one of these. */
  docs: z.array(PathGlob).min(1),
  message: z.string().max(500).optional(),
});
export type DocRule = z.infer<typeof DocRule>;

export const DocsPolicy = z.strictObject({
  required: z.array(DocRule).default([]),
});
export type DocsPolicy = z.infer<typeof DocsPolicy>;

export const POLICY_REDACTION_SHAPE = {
  redaction: RedactionPolicy.prefault({}),
  docs: DocsPolicy.prefault({}),
};

/** Just the parts defined here; the full policy file composes POLICY_REDACTION_SHAPE. */
export const RedactionAndDocsPolicy = z.strictObject(POLICY_REDACTION_SHAPE);
export type RedactionAndDocsPolicy = z.infer<typeof RedactionAndDocsPolicy>;

export const DEFAULT_POLICY: RedactionAndDocsPolicy = RedactionAndDocsPolicy.parse({});
