import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeModelAnswer, parseModelAnswer, type ModelAnswer } from './model-schema.js';
import { defaultReviewPolicy } from './review-policy-schema.js';
import { assembleReport } from './score-review.js';
import { CATEGORIES, type Category, type CategoryResult, type ReviewReport } from './types.js';

const policy = defaultReviewPolicy();
const score = fc.integer({ min: 0, max: 5 });
const category = fc.constantFrom(...CATEGORIES);

const reportArb: fc.Arbitrary<ReviewReport> = fc.tuple(...CATEGORIES.map(() => score)).map((scores) => {
  const categories = Object.fromEntries(CATEGORIES.map((c, i) => [c, { score: scores[i] as number, reasons: ['det'] }])) as Record<Category, CategoryResult>;
  return assembleReport(categories, [], policy);
});

const answerArb: fc.Arbitrary<ModelAnswer> = fc.record({
  findings: fc.array(fc.record({ severity: fc.constantFrom('high' as const, 'med' as const, 'low' as const), area: category, msg: fc.string({ minLength: 1, maxLength: 40 }) }), { maxLength: 4 }),
  categories: fc.dictionary(category, fc.record({ score, reasons: fc.array(fc.string({ maxLength: 20 }), { maxLength: 2 }) })) as fc.Arbitrary<ModelAnswer['categories']>,
});

describe('mergeModelAnswer', () => {
  it('never raises a score, the overall score or unblocks, whatever the model says', () => {
    fc.assert(fc.property(reportArb, answerArb, (report, answer) => {
      const merged = mergeModelAnswer(report, answer, policy);
      for (const c of CATEGORIES) expect(merged.categories[c].score).toBeLessThanOrEqual(report.categories[c].score);
      expect(merged.score).toBeLessThanOrEqual(report.score);
      if (report.block) expect(merged.block).toBe(true);
      expect(merged.findings.length).toBe(report.findings.length + answer.findings.length);
    }));
  });
});

describe('parseModelAnswer', () => {
  it('accepts fenced JSON and fills defaults', () => {
    expect(parseModelAnswer('Here you go:\n```json\n{"findings":[]}\n```')).toEqual({ ok: true, answer: { findings: [], categories: {} } });
  });

  it.each([
    ['not json', 'is not JSON'],
    ['{"categories":{"security":{"score":9}}}', 'does not match the contract (categories.security.score'],
    ['{"findings":[{"severity":"high","area":"vibes","msg":"x"}]}', 'does not match the contract (findings.0.area'],
  ])('refuses %j', (content, reason) => {
    const parsed = parseModelAnswer(content);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });

  it('never throws on arbitrary model output', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.jsonValue().map((v) => JSON.stringify(v))), (content) => {
      expect(typeof parseModelAnswer(content).ok).toBe('boolean');
    }));
  });
});
