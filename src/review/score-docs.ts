import type { DocRule } from '../policy/policy-schema.js';
import { matchesAnyGlob } from './path-glob.js';
import type { ReviewPolicyFile } from './review-policy-schema.js';
import { listSome } from './score-security.js';
import type { CategoryEvidence, FileChange, Issue, ReviewInput } from './types.js';

export interface DocRuleOutcome {
  rule: DocRule;
  /** Changed paths the rule applies to. */
  triggeredBy: string[];
  /** Changed paths that satisfy it; empty means the rule is broken. */
  satisfiedBy: string[];
}

/** Every rule a change triggers, with whether a required doc changed too. Pure. */
export function evaluateDocRules(files: readonly FileChange[], rules: readonly DocRule[]): DocRuleOutcome[] {
  const paths = files.flatMap((f) => (f.oldPath !== undefined ? [f.path, f.oldPath] : [f.path]));
  const out: DocRuleOutcome[] = [];
  for (const rule of rules) {
    const satisfiedBy = files.filter((f) => f.status !== 'deleted' && matchesAnyGlob(rule.docs, f.path)).map((f) => f.path);
    // A doc that also matches `paths` does not require itself.
    const triggeredBy = paths.filter((p) => matchesAnyGlob(rule.paths, p) && !matchesAnyGlob(rule.docs, p));
    if (triggeredBy.length > 0) out.push({ rule, triggeredBy: [...new Set(triggeredBy)], satisfiedBy });
  }
  return out;
}

export function describeDocRule(o: DocRuleOutcome): string {
  const why = o.rule.message ? `${o.rule.message}: ` : '';
  return `${why}${listSome(o.triggeredBy, 3)} changed but no doc matching ${o.rule.docs.join(', ')} did`;
}

export function scoreDocs(input: ReviewInput, policy: ReviewPolicyFile): CategoryEvidence {
  const issues: Issue[] = [];
  const notes: string[] = [];
  const outcomes = evaluateDocRules(input.files, policy.docs.required);
  for (const o of outcomes) {
    if (o.satisfiedBy.length > 0) {
      notes.push(`doc rule for ${o.rule.paths.join(', ')} satisfied by ${listSome(o.satisfiedBy, 3)}`);
    } else {
      issues.push({ area: 'docs_parity', severity: 'high', cap: 1, msg: describeDocRule(o), action: `update one of ${o.rule.docs.join(', ')} in this PR` });
    }
  }
  if (outcomes.length === 0) notes.push(policy.docs.required.length === 0 ? 'the policy has no doc update rules' : 'no doc update rule applies to this change');
  return { issues, notes };
}
