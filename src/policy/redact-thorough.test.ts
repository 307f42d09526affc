import { describe, expect, test } from 'vitest';
import { createRedactor } from './redact.js';
import { findSecretlintRanges, redactTextThorough } from './redact-thorough.js';

const M = '***REDACTED***';

describe('redactTextThorough', () => {
  test('adds secretlint findings our patterns lack (GitLab and SendGrid tokens)', async () => {
    const gitlab = 'glpat-' + 'Ab1Cd2Ef3Gh4Ij5Kl6Mn';
    const sendgrid = 'SG.' + 'aBcDeFgHiJkLmNoPqRsTuV' + '.' + 'aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcdefg';
    const text = `push with ${gitlab} then mail via ${sendgrid} done`;
    const r = createRedactor();
    expect(r.redact(text)).toBe(text);
    expect(await findSecretlintRanges(text)).toHaveLength(2);
    expect(await redactTextThorough(text, r)).toBe(`push with ${M} then mail via ${M} done`);
  });

  test('keeps our own redactions and known secrets', async () => {
    const r = createRedactor({ secrets: ['my-known-secret'] });
    const text = `url postgres://admin:s3cr3tpw@localhost:5432/db and my-known-secret`;
    const out = await redactTextThorough(text, r);
    expect(out).not.toContain('s3cr3tpw');
    expect(out).not.toContain('my-known-secret');
    expect(out.endsWith(`and ${M}`)).toBe(true);
  });

  test('text without findings is returned unchanged', async () => {
    expect(await redactTextThorough('nothing to see', createRedactor())).toBe('nothing to see');
  });
});
