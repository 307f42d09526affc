import { z } from 'zod';
import type { ReviewPolicyFile } from './review-policy-schema.js';
import { overallScore, sortFindings } from './score-review.js';
import { CATEGORIES } from './types.js';
import type { Category, CategoryResult, Finding, ReviewReport } from './types.js';

/**
 * The JSON a reviewer model must answer with, and how its answer is folded into a report.
 * The model is a second opinion that can only make a verdict stricter: it may add findings and
 * lower category scores, never raise them, and never unblock.
 */
export const ModelAnswer = z.object({
  findings: z.array(z.object({
    severity: z.enum(['high', 'med', 'low']),
    area: z.enum(CATEGORIES),
    msg: z.string().min(1).max(500),
  })).max(20).default([]),
  categories: z.partialRecord(z.enum(CATEGORIES), z.object({
    score: z.number().int().min(0).max(5),
    reasons: z.array(z.string().max(500)).max(5).default([]),
  })).default({}),
});
export type ModelAnswer = z.infer<typeof ModelAnswer>;

export const MODEL_CONTRACT = `Answer with ONE JSON object and nothing else:
{"findings":[{"severity":"high|med|low","area":"<category>","msg":"<one sentence>"}],
 "categories":{"<category>":{"score":0-5,"reasons":["<why>"]}}}
<category> is one of: ${CATEGORIES.join(', ')}. Include a category only when your score for it
is lower than the deterministic one; report only problems you can point to in the diff.`;

/** The model's text → a validated answer, or why it was not one. */
export function parseModelAnswer(content: string): { ok: true; answer: ModelAnswer } | { ok: false; reason: string } {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(content);
  const text = (fenced ? fenced[1] ?? '' : content).trim();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'is not JSON' };
  }
  const parsed = ModelAnswer.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, reason: `does not match the contract (${first ? `${first.path.join('.') || '<root>'}: ${first.message}` : 'invalid'})` };
  }
  return { ok: true, answer: parsed.data };
}

/** Folds a valid answer into the deterministic report: scores only go down, block only goes on. */
export function mergeModelAnswer(report: ReviewReport, answer: ModelAnswer, policy: ReviewPolicyFile): ReviewReport {
  const categories = {} as Record<Category, CategoryResult>;
  for (const c of CATEGORIES) {
    const det = report.categories[c];
    const said = answer.categories[c];
    if (said !== undefined && said.score < det.score) {
      const why = said.reasons.length > 0 ? said.reasons.join('; ') : 'no reason given';
      categories[c] = { score: said.score, reasons: [`model lowered ${det.score}→${said.score}: ${why}`, ...det.reasons] };
    } else {
      categories[c] = { score: det.score, reasons: [...det.reasons] };
    }
  }
  const added: Finding[] = answer.findings.map((f) => ({ severity: f.severity, area: f.area, msg: `model: ${f.msg}` }));
  const score = Math.min(overallScore(categories, policy.review.weights), report.score);
  const lowCategory = CATEGORIES.some((c) => categories[c].score <= policy.review.blockAtOrBelow);
  return {
    score,
    block: report.block || lowCategory || score < policy.review.minScore,
    findings: sortFindings([...report.findings, ...added]),
    required_actions: [...new Set([...report.required_actions, ...added.filter((f) => f.severity !== 'low').map((f) => f.msg)])],
    categories,
  };
}

/** A model problem is a finding, never a crash and never a change of verdict. */
export function withModelIgnored(report: ReviewReport, reason: string): ReviewReport {
  return { ...report, findings: [...report.findings, { severity: 'low', area: 'model', msg: `model answer ignored: ${reason}` }] };
}
