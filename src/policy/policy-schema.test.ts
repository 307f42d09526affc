import { describe, expect, test } from 'vitest';
import { checkPatternSafety } from './patterns-check.js';
import { DEFAULT_POLICY, DocsPolicy, RedactionAndDocsPolicy, RedactionPolicy } from './policy-schema.js';
import { createPolicyRedactor } from './redact-policy.js';

describe('checkPatternSafety', () => {
  test.each([
    ['session=(?<secret>[a-f0-9]{32})', ''],
    ['(?:foo|bar)-[0-9]{4}', 'i'],
    ['x(ab)+y', ''],
    ['(a+)?b', ''],
    ['[(+*]{2,}', ''],
    ['\\(a+\\)+', ''],
  ])('accepts %s', (source, flags) => {
    expect(checkPatternSafety(source, flags)).toBeUndefined();
  });

  test.each([
    ['(a+)+', '', /nested repetition/],
    ['(?:\\w*x)*', '', /nested repetition/],
    ['(a{1,9}){2,}', '', /nested repetition/],
    ['((ab)*c)+', '', /nested repetition/],
    ['(a)\\1', '', /backreferences/],
    ['(?<q>a)\\k<q>', '', /backreferences/],
    ['abc', 'g', /flags "g"/],
    ['abc', 'im', /flags "im"/],
    ['(unclosed', '', /does not compile/],
    ['a*', '', /empty string/],
  ])('refuses %s', (source, flags, message) => {
    expect(checkPatternSafety(source, flags)).toMatch(message);
  });
});

describe('RedactionPolicy', () => {
  test('defaults are the original redact_env.py behaviour', () => {
    expect(DEFAULT_POLICY.redaction).toEqual({
      marker: '***REDACTED***',
      safeKeys: ['TZ', 'PUID', 'PGID', 'UID', 'GID', 'UMASK', 'PORT', 'HOST', 'URL'],
      keepBooleans: true,
      keepEmpty: true,
      patterns: [],
      useStackEnvSecrets: true,
      minSecretLength: 6,
    });
    expect(DEFAULT_POLICY.docs).toEqual({ required: [] });
  });

  test('unknown keys are rejected', () => {
    const r = RedactionPolicy.safeParse({ markr: 'x' });
    expect(r.success).toBe(false);
  });

  test('a catastrophic pattern is rejected with its name and the reason, at its path', () => {
    const r = RedactionPolicy.safeParse({ patterns: [{ name: 'bad', regex: '(a+)+b' }] });
    expect(r.success).toBe(false);
    const issue = r.error?.issues[0];
    expect(issue?.path).toEqual(['patterns', 0, 'regex']);
    expect(issue?.message).toMatch(/pattern "bad" nested repetition/);
  });

  test('duplicate pattern names are rejected', () => {
    const r = RedactionPolicy.safeParse({ patterns: [{ name: 'a', regex: 'x1' }, { name: 'a', regex: 'x2' }] });
    expect(r.success).toBe(false);
  });

  test('a policy pattern with a secret group redacts only the group', () => {
    const policy = RedactionPolicy.parse({ patterns: [{ name: 'plex', regex: 'X-Plex-Token=(?<secret>[A-Za-z0-9_-]{20})', flags: 'i' }] });
    const r = createPolicyRedactor(policy);
    expect(r.redact('GET /lib?x-plex-token=abcdefghij0123456789 200')).toBe('GET /lib?x-plex-token=***REDACTED*** 200');
  });

  test('a custom marker is used', () => {
    const r = createPolicyRedactor(RedactionPolicy.parse({ marker: '[hidden]' }), ['correct horse']);
    expect(r.redact('pw: correct horse!')).toBe('pw: [hidden]!');
  });
});

describe('DocsPolicy', () => {
  test('accepts relative globs', () => {
    const d = DocsPolicy.parse({ required: [{ paths: ['stacks/*/compose.yaml'], docs: ['docs/stacks/**'], message: 'update the checklist' }] });
    expect(d.required[0]?.docs).toEqual(['docs/stacks/**']);
  });
  test.each([['/etc/passwd'], ['../x'], ['a/../../b'], ['a\\b']])('refuses %s', (glob) => {
    expect(DocsPolicy.safeParse({ required: [{ paths: [glob], docs: ['README.md'] }] }).success).toBe(false);
  });
  test('a rule needs at least one path and one doc', () => {
    expect(DocsPolicy.safeParse({ required: [{ paths: [], docs: ['x'] }] }).success).toBe(false);
  });
  test('the combined shape rejects unknown top-level keys', () => {
    expect(RedactionAndDocsPolicy.safeParse({ redaction: {}, doc: {} }).success).toBe(false);
  });
});
