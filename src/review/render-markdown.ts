import { CATEGORIES, CATEGORY_LABELS, areaLabel } from './types.js';
import type { ReviewReport, Severity } from './types.js';

/** A PR comment a person can read in ten seconds: verdict, table, top findings, actions. */
export interface MarkdownContext {
  base?: string;
  head?: string;
  /** Set when a reviewer model was asked. */
  model?: string;
}

const ICON: Record<Severity, string> = { high: '🔴', med: '🟠', low: '🟡' };
const TOP_FINDINGS = 5;

export function renderReviewMarkdown(report: ReviewReport, ctx: MarkdownContext = {}): string {
  const verdict = report.block ? '⛔ **blocked**' : '✅ **pass**';
  const lines = [`### oresi review: ${report.score}/100 — ${verdict}`, ''];
  lines.push('| Category | Score | Why |', '|---|:-:|---|');
  for (const c of CATEGORIES) {
    const r = report.categories[c];
    lines.push(`| ${CATEGORY_LABELS[c]} | ${bar(r.score)} ${r.score}/5 | ${cell(r.reasons[0] ?? '')} |`);
  }
  if (report.findings.length > 0) {
    lines.push('', '**Top findings**');
    for (const f of report.findings.slice(0, TOP_FINDINGS)) lines.push(`- ${ICON[f.severity]} ${f.severity} · ${areaLabel(f.area)} — ${inline(f.msg)}`);
    if (report.findings.length > TOP_FINDINGS) lines.push(`- … and ${report.findings.length - TOP_FINDINGS} more (\`oresi review --format json\`)`);
  }
  if (report.required_actions.length > 0) {
    lines.push('', '**Required actions**');
    for (const a of report.required_actions) lines.push(`- [ ] ${inline(a)}`);
  }
  const range = ctx.base && ctx.head ? ` · ${ctx.base.slice(0, 7)} → ${ctx.head.slice(0, 7)}` : '';
  const model = ctx.model ? ` · second opinion: ${inline(ctx.model)}` : '';
  lines.push('', `<sub>oresi review${range}${model} · blocked when a category is ≤ 1 or the score is below the policy minimum</sub>`);
  return lines.join('\n') + '\n';
}

function bar(score: number): string {
  return score >= 4 ? '🟢' : score >= 2 ? '🟠' : '🔴';
}

/** One line, no Markdown table breakers, no HTML from the diff. */
function inline(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/</g, '&lt;').replace(/>/g, '&gt;').trim();
}

function cell(text: string): string {
  return inline(text).replace(/\|/g, '\\|');
}
