import { judgeImagePin } from '../policy/drift-image-ref.js';
import { formatDiagnostic, type Diagnostic } from '../intent/yaml-source.js';
import type { ReviewPolicyFile } from './review-policy-schema.js';
import { describeDocRule, evaluateDocRules } from './score-docs.js';
import { imageRegistry, isEnvFilePath, serviceLabel, touchedServices } from './service-changes.js';
import type { ParsedCompose, ReviewInput } from './types.js';

/**
 * `oresi check`: the guardrails as a yes/no gate. Unlike the rubric nothing here is weighed;
 * every `error` fails the check. Pure: the command gathers the inputs.
 */
export type GuardrailRule = 'docs' | 'env-file' | 'secret' | 'intents' | 'compose' | 'image-pinning' | 'config';

export interface CheckFinding {
  rule: GuardrailRule;
  severity: 'error' | 'warning';
  msg: string;
}

export interface CheckResult {
  ok: boolean;
  findings: CheckFinding[];
  checked: { files: number; composeFiles: number; intents: number; docRules: number };
}

export interface GuardrailInput {
  review: ReviewInput;
  /** Every compose file at head, parsed. */
  composeFiles: { path: string; parsed: ParsedCompose }[];
  /** buildCatalog's verdict on the intents folder at head. */
  intents: { ok: true; count: number } | { ok: false; errors: Diagnostic[] };
  /** oresi.yaml at head: null when absent, else its problems (empty = valid). */
  configErrors: string[] | null;
}

export function checkGuardrails(g: GuardrailInput, policy: ReviewPolicyFile): CheckResult {
  const findings: CheckFinding[] = [];
  const add = (rule: GuardrailRule, msg: string, severity: CheckFinding['severity'] = 'error') => findings.push({ rule, severity, msg });

  const docRules = evaluateDocRules(g.review.files, policy.docs.required);
  for (const o of docRules) if (o.satisfiedBy.length === 0) add('docs', `doc update required: ${describeDocRule(o)}`);

  for (const f of g.review.files) {
    if (f.status !== 'deleted' && isEnvFilePath(f.path, policy.guardrails)) add('env-file', `${f.path} must not be committed (env files hold secrets); commit a .env.example instead`);
  }
  const envPaths = new Set(g.review.files.filter((f) => isEnvFilePath(f.path, policy.guardrails)).map((f) => f.path));
  for (const h of g.review.secretHits) if (!envPaths.has(h.path)) add('secret', `possible secret at ${h.path}:${h.line} (found by ${h.detector})`);

  if (g.intents.ok) {
    if (g.intents.count === 0) add('intents', `no intents in ${policy.review.intentsDir}/`, 'warning');
  } else {
    for (const d of g.intents.errors) add('intents', formatDiagnostic(d));
  }

  for (const c of g.composeFiles) if (!c.parsed.ok) add('compose', `${c.path} ${c.parsed.error}`);
  if (g.configErrors !== null) for (const e of g.configErrors) add('config', e);

  checkPinning(g.review, policy, add);
  return {
    ok: !findings.some((f) => f.severity === 'error'),
    findings,
    checked: {
      files: g.review.files.length,
      composeFiles: g.composeFiles.length,
      intents: g.intents.ok ? g.intents.count : 0,
      docRules: policy.docs.required.length,
    },
  };
}

function checkPinning(input: ReviewInput, policy: ReviewPolicyFile, add: (rule: GuardrailRule, msg: string, severity?: CheckFinding['severity']) => void): void {
  const rules = policy.guardrails.images;
  for (const s of touchedServices(input)) {
    const who = serviceLabel(s);
    const image = s.head.imageResolved;
    if (s.head.image === null) continue;
    if (image === null) {
      add('image-pinning', `${who}: image ${s.head.image} comes from a variable without a default; it cannot be checked`, 'warning');
      continue;
    }
    const verdict = judgeImagePin(image, rules.requireDigest);
    if (verdict?.severity === 'error' && rules.forbidLatest) add('image-pinning', `${who}: ${image} ${verdict.reason}`);
    else if (verdict?.severity === 'warning') add('image-pinning', `${who}: ${image} ${verdict.reason}`, rules.forbidFloating ? 'error' : 'warning');
    else if (verdict?.severity === 'info' && rules.requireDigest) add('image-pinning', `${who}: ${image} ${verdict.reason}`);
    const registry = imageRegistry(image);
    if (rules.requireRegistry && registry === null) add('image-pinning', `${who}: ${image} does not name its registry`);
    if (rules.allowedRegistries.length > 0 && !rules.allowedRegistries.includes(registry ?? 'docker.io')) {
      add('image-pinning', `${who}: ${image} is not from an allowed registry (${rules.allowedRegistries.join(', ')})`);
    }
  }
}
