import { BUILTIN_PATTERNS, type TextPattern, compilePattern } from './patterns.js';
import type { RedactionPolicy } from './policy-schema.js';
import { type Redactor, createRedactor } from './redact.js';
import type { SecretEngine } from './redact-secrets.js';

/** The policy's own patterns, compiled (the schema already refused unsafe ones). */
export function compilePolicyPatterns(policy: RedactionPolicy): TextPattern[] {
  return policy.patterns.map((p) => compilePattern(p.name, p.regex, p.flags, p.description));
}

/** Built-in plus policy patterns, the policy's marker and minimum length, and the given known secrets. */
export function createPolicyRedactor(policy: RedactionPolicy, secrets: readonly string[] = [], engine?: SecretEngine): Redactor {
  return createRedactor({
    secrets,
    patterns: [...BUILTIN_PATTERNS, ...compilePolicyPatterns(policy)],
    marker: policy.marker,
    minSecretLength: policy.minSecretLength,
    ...(engine ? { engine } : {}),
  });
}
