import { describe, expect, it } from 'vitest';
import { createRedactor } from '../policy/redact.js';
import { createSwappableRedactor } from './swappable-redactor.js';

const SECRET = 'correct-horse-battery-staple-42';

describe('swappable redactor', () => {
  it('answers a text it has seen from the rules in force, not from before a swap', () => {
    const redactor = createSwappableRedactor(createRedactor({ secrets: [] }));
    const text = `GET /v1/stacks/${SECRET}/logs`;
    expect(redactor.redact(text)).toBe(text);
    expect(redactor.redact(text)).toBe(text);
    redactor.swap(createRedactor({ secrets: [SECRET] }));
    expect(redactor.redact(text)).not.toContain(SECRET);
    // And back: the memo of the stricter rules does not outlive them either.
    redactor.swap(createRedactor({ secrets: [] }));
    expect(redactor.redact(text)).toBe(text);
  });

  it('stays correct past its bound and for long texts', () => {
    const redactor = createSwappableRedactor(createRedactor({ secrets: [SECRET] }));
    for (let i = 0; i < 5000; i++) {
      const text = `/v1/runs/${i}/${SECRET}`;
      expect(redactor.redact(text)).toBe(redactor.redact(text));
      expect(redactor.redact(text)).not.toContain(SECRET);
      expect(redactor.redact(text)).toContain(`/v1/runs/${i}/`);
    }
    const long = `${'x'.repeat(4000)} ${SECRET} ${'y'.repeat(10)}`;
    expect(redactor.redact(long)).not.toContain(SECRET);
    expect(redactor.redact(long).endsWith(' yyyyyyyyyy')).toBe(true);
  });

  it('redacts values through the current rules', () => {
    const redactor = createSwappableRedactor(createRedactor({ secrets: [] }));
    redactor.swap(createRedactor({ secrets: [SECRET] }));
    expect(JSON.stringify(redactor.redactValue({ a: [SECRET] }))).not.toContain(SECRET);
  });
});
