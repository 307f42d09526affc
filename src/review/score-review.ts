import type { ReviewPolicyFile } from './review-policy-schema.js';
import { scoreBackup } from './score-backup.js';
import { scoreDataSafety } from './score-data-safety.js';
import { scoreDocs } from './score-docs.js';
import { scoreNetworking } from './score-networking.js';
import { scoreObservability } from './score-observability.js';
import { scoreReproducibility } from './score-reproducibility.js';
import { scoreRollback } from './score-rollback.js';
import { scoreSecurity } from './score-security.js';
import { CATEGORIES, SEVERITY_ORDER } from './types.js';
import type { Category, CategoryEvidence, CategoryResult, Finding, Issue, ReviewInput, ReviewReport } from './types.js';

const MAX = 5;

/** The whole rubric: data in, report out. Deterministic for a given input and policy. */
export function scoreReview(input: ReviewInput, policy: ReviewPolicyFile): ReviewReport {
  const evidence: Record<Category, CategoryEvidence> = {
    security: scoreSecurity(input, policy),
    reproducibility: scoreReproducibility(input, policy),
    observability: scoreObservability(input, policy),
    backup_dr: scoreBackup(input, policy),
    networking: scoreNetworking(input),
    data_safety: scoreDataSafety(input),
    rollback: scoreRollback(input, policy),
    docs_parity: scoreDocs(input, policy),
  };
  const categories = {} as Record<Category, CategoryResult>;
  for (const c of CATEGORIES) categories[c] = scoreCategory(evidence[c]);
  const issues = CATEGORIES.flatMap((c) => evidence[c].issues);
  return assembleReport(categories, issues, policy);
}

/** 5, less every penalty, no higher than the lowest cap, within 0–5. */
export function scoreCategory(e: CategoryEvidence): CategoryResult {
  let score = MAX;
  for (const i of e.issues) score -= i.penalty ?? 0;
  for (const i of e.issues) if (i.cap !== undefined) score = Math.min(score, i.cap);
  return { score: Math.max(0, Math.min(MAX, score)), reasons: [...e.issues.map((i) => i.msg), ...e.notes] };
}

/** Overall score, verdict, findings and required actions from category results and issues. */
export function assembleReport(categories: Record<Category, CategoryResult>, issues: readonly Issue[], policy: ReviewPolicyFile, extra: readonly Finding[] = []): ReviewReport {
  const score = overallScore(categories, policy.review.weights);
  const lowCategory = CATEGORIES.some((c) => categories[c].score <= policy.review.blockAtOrBelow);
  const findings = sortFindings([...issues.map((i): Finding => ({ severity: i.severity, area: i.area, msg: i.msg })), ...extra]);
  const actions = issues
    .filter((i) => i.severity !== 'low' || categories[i.area].score <= policy.review.blockAtOrBelow)
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity])
    .map((i) => i.action ?? i.msg);
  return {
    score,
    block: lowCategory || score < policy.review.minScore,
    findings,
    required_actions: [...new Set(actions)],
    categories,
  };
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  const order = (a: Finding['area']) => (a === 'model' ? CATEGORIES.length : CATEGORIES.indexOf(a));
  return [...findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || order(a.area) - order(b.area));
}

export function overallScore(categories: Record<Category, CategoryResult>, weights: Partial<Record<Category, number>>): number {
  let sum = 0;
  let total = 0;
  for (const c of CATEGORIES) {
    const w = weights[c] ?? 1;
    sum += categories[c].score * w;
    total += w;
  }
  return total === 0 ? 100 : Math.round((sum / total) * 20);
}
