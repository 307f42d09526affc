import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeControl, safeLogText } from './log-safety.js';

const redactor = { redact: (t: string) => t.replaceAll('s3cret', '[REDACTED]'), redactValue: <T>(v: T) => v };

describe('escapeControl', () => {
  it('makes CR, LF, ESC, DEL, C1 and line separators visible', () => {
    expect(escapeControl('a\r\nb')).toBe('a\\x0d\\x0ab');
    expect(escapeControl('\u001b[31mred')).toBe('\\x1b[31mred');
    expect(escapeControl('x\u007f\u0085\u2028')).toBe('x\\x7f\\x85\\u2028');
    expect(escapeControl('plain ünïcode ✓')).toBe('plain ünïcode ✓');
  });

  it('property: the result never contains a control character', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      expect(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(escapeControl(s))).toBe(false);
    }));
  });
});

describe('safeLogText', () => {
  it('redacts, cuts and escapes', () => {
    expect(safeLogText(redactor, 'token=s3cret\n')).toBe('token=[REDACTED]\\x0a');
    expect(safeLogText(redactor, 'abcdef', 3)).toBe('abc…');
  });
});
