import { z } from 'zod';
import { FINDING_KINDS } from '../policy/drift-types.js';
import type { DriftReport } from './drift.js';

/** The `oresi drift --json` document, version 1. Fields are only ever added. */
export const DriftJsonSchema = z.object({
  version: z.literal(1),
  checkedAt: z.string(),
  clean: z.boolean(),
  stacks: z.array(z.object({ name: z.string(), clean: z.boolean() })),
  findings: z.array(
    z.object({
      kind: z.enum(FINDING_KINDS),
      severity: z.enum(['error', 'warning', 'info']),
      stack: z.string(),
      service: z.string().optional(),
      container: z.string().optional(),
      message: z.string(),
    }),
  ),
  problems: z.array(z.object({ stack: z.string(), reason: z.string() })),
});
export type DriftJson = z.infer<typeof DriftJsonSchema>;

export function toDriftJson(report: DriftReport): DriftJson {
  return {
    version: 1,
    checkedAt: report.checkedAt,
    clean: driftExitCode(report) === 0,
    stacks: report.stacks,
    findings: report.findings,
    problems: report.problems,
  };
}

/** 0 clean, 1 drift (an error or warning finding), 2 when something could not be checked. */
export function driftExitCode(report: DriftReport): 0 | 1 | 2 {
  if (report.problems.length > 0) return 2;
  return report.findings.some((f) => f.severity !== 'info') ? 1 : 0;
}

/** For people: one line per stack, its findings indented below, a summary last. */
export function formatFindings(report: DriftReport): string {
  const lines: string[] = [];
  const byStack = new Map<string, DriftReport['findings']>();
  for (const f of report.findings) byStack.set(f.stack, [...(byStack.get(f.stack) ?? []), f]);
  const names = [...new Set([...report.stacks.map((s) => s.name), ...byStack.keys()])];
  for (const name of names) {
    const found = byStack.get(name) ?? [];
    const checked = report.stacks.find((s) => s.name === name);
    const head = checked ? (checked.clean ? 'clean' : 'drift') : 'outside the stacks root';
    lines.push(`${name}: ${head}`);
    for (const f of found) {
      const where = [f.service, f.container].filter(Boolean).join('/');
      lines.push(`  ${f.severity.padEnd(7)} ${f.kind.padEnd(16)} ${where ? `${where}: ` : ''}${f.message}`);
    }
  }
  for (const p of report.problems) lines.push(`problem ${p.stack || '(stacks root)'}: ${p.reason}`);
  const drifted = report.stacks.filter((s) => !s.clean).length;
  const count = (sev: string) => report.findings.filter((f) => f.severity === sev).length;
  lines.push(
    `${report.stacks.length} stack(s) checked at ${report.checkedAt}: ${drifted} drifted; ` +
      `${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} info.`,
  );
  return `${lines.join('\n')}\n`;
}
