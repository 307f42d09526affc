import { describe, expect, it } from 'vitest';
import type { DriftReport } from './drift.js';
import { driftExitCode, DriftJsonSchema, formatFindings, toDriftJson } from './drift-format.js';

const base: DriftReport = { checkedAt: '2025-01-01T00:00:00.000Z', findings: [], stacks: [{ name: 'media', clean: true }], problems: [] };
const orphan = { kind: 'orphan', severity: 'warning', stack: 'media', service: 'ghost', container: 'media-ghost-1', message: 'Container media-ghost-1 is an orphan.' } as const;

describe('drift output', () => {
  it('exits 0 clean, 1 on an error or warning, 2 when something could not be checked', () => {
    expect(driftExitCode(base)).toBe(0);
    expect(driftExitCode({ ...base, findings: [{ ...orphan, severity: 'info' }] })).toBe(0);
    expect(driftExitCode({ ...base, findings: [orphan] })).toBe(1);
    expect(driftExitCode({ ...base, problems: [{ stack: 'x', reason: 'bad yaml' }] })).toBe(2);
  });

  it('renders one line per stack with its findings below', () => {
    const text = formatFindings({ ...base, findings: [orphan], stacks: [{ name: 'media', clean: false }, { name: 'dns', clean: true }] });
    expect(text).toBe([
      'media: drift',
      '  warning orphan           ghost/media-ghost-1: Container media-ghost-1 is an orphan.',
      'dns: clean',
      '2 stack(s) checked at 2025-01-01T00:00:00.000Z: 1 drifted; 0 error(s), 1 warning(s), 0 info.',
      '',
    ].join('\n'));
  });

  it('emits JSON that its schema accepts and that rejects unknown kinds', () => {
    const json = toDriftJson({ ...base, findings: [orphan] });
    expect(DriftJsonSchema.parse(json)).toEqual({ version: 1, checkedAt: base.checkedAt, clean: false, stacks: base.stacks, findings: [orphan], problems: [] });
    expect(DriftJsonSchema.safeParse({ ...json, findings: [{ ...orphan, kind: 'nope' }] }).success).toBe(false);
  });
});
