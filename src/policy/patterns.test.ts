import { describe, expect, it, test } from 'vitest';
import { BUILTIN_MAX_MATCH, BUILTIN_PATTERNS } from './patterns.js';
import { createRedactor } from './redact.js';

const M = '***REDACTED***';
const r = createRedactor();

// Fake credentials, assembled at run time so secret scanners do not flag this file.
const GH = 'ghp_' + '0123456789abcdefghijABCDEFGHIJ012345';
const GH_PAT = 'github_pat_' + '11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz';
const DISCORD_ID = '123456789012345678';
const DISCORD_TOKEN = 'AbCdEfGhIjKlMnOpQrStUvWxYz_-0123456789abcdef';
const AWS_ID = 'AKIA' + 'IOSFODNN7EXAMPLE';
const JWT = 'eyJhbGciOiJIUzI1NiJ9' + '.eyJzdWIiOiIxMjM0NTY3ODkwIn0' + '.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const PEM_BODY = 'MIIEpAIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB\naIb6xdDdqF5m0gyO6z4Jr1AqhQ9AHl5nTLoOCE0b2lSS7Hk7pIjVEvFVh0u7YJhX';

const positive: Array<[name: string, input: string, expected: string]> = [
  ['github classic token', `token ${GH} end`, `token ${M} end`],
  ['github fine-grained pat', `pat=${GH_PAT}`, `pat=${M}`],
  ['github token in URL userinfo', `https://oauth2:${GH}@github.com/o/r.git`, `https://${M}@github.com/o/r.git`],
  // "token:" also reads as an assignment, whose value runs to the next space: over-redacted, never leaked.
  ['x-access-token URL', `https://x-access-token:${GH}@github.com/o/r.git`, `https://${M}`],
  ['slack bot token', 'xoxb-' + '1234567890-abcdefghijklmn', M],
  ['slack webhook', 'hook https://hooks.slack.com/services/' + 'T0000AAAA/B0000BBBB/' + 'x'.repeat(24), `hook https://hooks.slack.com/services/${M}`],
  ['discord webhook', `https://discord.com/api/webhooks/${DISCORD_ID}/${DISCORD_TOKEN}`, `https://discord.com/api/webhooks/${M}`],
  ['discordapp webhook', `POST https://discordapp.com/api/webhooks/${DISCORD_ID}/${DISCORD_TOKEN} 204`, `POST https://discordapp.com/api/webhooks/${M} 204`],
  ['bare AWS key id', `id ${AWS_ID}.`, `id ${M}.`],
  ['AWS STS key id', 'ASIA' + 'ABCDEFGHIJKLMNOP', M],
  ['AWS secret in context', 'aws_secret_access_key = ' + 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', `aws_secret_access_key = ${M}`],
  ['JWT', `cookie: s=${JWT}; path=/`, `cookie: s=${M}; path=/`],
  ['PEM block', `a\n-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}\n-----END RSA PRIVATE KEY-----\nb`, `a\n${M}\nb`],
  ['OpenSSH PEM', `-----BEGIN OPENSSH PRIVATE KEY-----\n${PEM_BODY}\n-----END OPENSSH PRIVATE KEY-----`, M],
  ['unterminated PEM redacts to the end', `x -----BEGIN PRIVATE KEY-----\n${PEM_BODY}\nmore`, `x ${M}`],
  ['URL credentials keep scheme and host', 'postgres://admin:s3cr3t@db:5432/app', `postgres://${M}@db:5432/app`],
  ['bearer header', 'Authorization: Bearer abc.def-ghi', `Authorization: Bearer ${M}`],
  ['basic header', "-H 'authorization: Basic dXNlcjpwYXNz'", `-H 'authorization: Basic ${M}'`],
  ['password assignment', 'DB_PASSWORD=hunter2 next', `DB_PASSWORD=${M} next`],
  ['json secret keeps quotes', '{"client_secret": "a b c"}', `{"client_secret": "${M}"}`],
  ['api key assignment', 'api-key: 12345', `api-key: ${M}`],
  ['npm token', 'npm_' + 'abcdefghijklmnopqrstuvwxyz0123456789', M],
  ['npmrc auth token', '//registry.npmjs.org/:_authToken=abc123', `//registry.npmjs.org/:_authToken=${M}`],
  ['openai key', 'sk-proj-' + 'abcdefghijklmnopqrstuvwx', M],
];

const negative: Array<[name: string, input: string]> = [
  ['ghp_ too short', 'ghp_abc123'],
  ['ghp inside a word', 'xghp_' + '0123456789abcdefghijABCDEFGHIJ012345'],
  ['discord URL without webhook path', 'https://discord.com/channels/123/456'],
  ['AKIA with 15 characters', 'AKIA' + 'IOSFODNN7EXAMP'],
  ['AKIA followed by more letters', 'AKIA' + 'IOSFODNN7EXAMPLEX'],
  ['lowercase akia', 'akia' + 'iosfodnn7example'],
  ['eyJ without segments', 'eyJhbGciOiJIUzI1NiJ9 alone'],
  ['BEGIN of a public key', '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----'],
  ['URL without credentials', 'https://example.com/a@b'],
  ['URL with user only', 'ssh://git@github.com/o/r'],
  ['email address', 'mail me: ops@example.com'],
  ['plain log line', '2025-10-30T12:00:00Z plex  | Listening on port 32400 (token refresh ok)'],
  ['key word without value', 'password reset requested'],
];

describe('built-in patterns', () => {
  test.each(positive)('%s is redacted', (_name, input, expected) => {
    expect(r.redact(input)).toBe(expected);
  });
  test.each(negative)('%s is left alone', (_name, input) => {
    expect(r.redact(input)).toBe(input);
  });

  test('every built-in regex is global with indices, and none matches the empty string', () => {
    for (const p of BUILTIN_PATTERNS) {
      expect(p.regex.flags).toContain('g');
      expect(p.regex.flags).toContain('d');
      expect(new RegExp(p.regex.source, p.regex.flags.replace('g', '')).test('')).toBe(false);
    }
  });

  test('the stream window is larger than the longest built-in match', () => {
    const jwt = 'eyJ' + 'a'.repeat(2047) + '.' + 'b'.repeat(8192) + '.' + 'c'.repeat(2048);
    expect(jwt.length).toBeLessThanOrEqual(BUILTIN_MAX_MATCH);
    expect(r.redact(` ${jwt} `)).toBe(` ${M} `);
  });
});

// Near misses repeated to 100 KB. The patterns are linear by construction (bounded repeats,
// one start per token run); these pin the output so a rewrite that changes semantics fails.
describe('adversarial near-miss inputs (100 KB)', () => {
  const size = 100_000;
  const fill = (unit: string) => unit.repeat(Math.ceil(size / unit.length));
  /** Index of the first difference, -1 when equal: keeps a 100 KB mismatch readable. */
  const firstDiff = (a: string, b: string) => {
    if (a === b) return -1;
    let i = 0;
    while (i < a.length && a[i] === b[i]) i += 1;
    return i;
  };

  test.each([
    ['eyJ repeated', fill('eyJ')],
    ['eyJ. repeated', fill('eyJ.')],
    ['eyJ- segments', fill('eyJ-')],
    ['AKIA + 15 upper, space separated', fill('AKIAABCDEFGHIJKLMNO ')],
    ['-----BEGIN without key header', fill('-----BEGIN ')],
    ['https://a: repeated', fill('https://a:')],
    ['https://a:b without @', 'https://a:' + 'b'.repeat(size)],
    ['password= without value', fill('password=;')],
    ['Bearer without token', fill('Bearer ')],
    ['ghp_ with short tails', fill('ghp_abc ')],
    ['xoxb- without body', fill('xoxb- ')],
  ])('%s passes unchanged', (_name, input) => {
    expect(firstDiff(r.redact(input), input)).toBe(-1);
  });

  test('AKIA + 15 glued together is one long word, not a key', () => {
    const input = fill('AKIAABCDEFGHIJKLMNO');
    expect(firstDiff(r.redact(input), input)).toBe(-1);
  });

  test('a key header repeated without a footer redacts from the first header to the end', () => {
    const input = 'log start\n' + fill('-----BEGIN RSA PRIVATE KEY-----\n');
    expect(r.redact(input)).toBe(`log start\n${M}`);
  });

  test('password=x repeated redacts every value', () => {
    const units = Math.ceil(size / 11);
    const input = 'password=x '.repeat(units);
    expect(firstDiff(r.redact(input), `password=${M} `.repeat(units))).toBe(-1);
  });

  test('password= chained is one long value and is redacted in bounded slices', () => {
    const out = r.redact(fill('password='));
    expect(out.startsWith(`password=${M}`)).toBe(true);
    expect(out.length).toBeLessThan(size / 10);
  });

  test('eyJ tokens glued by dots are one JWT-shaped run per three segments', () => {
    const jwtish = 'eyJabcdefgh.ijklmnopq.rstuvwxyz';
    const input = fill(jwtish + ' ');
    const out = r.redact(input);
    expect(out).not.toContain('eyJabcdefgh');
    expect(firstDiff(out, fill(`${M} `).slice(0, out.length))).toBe(-1);
  });
});

describe('secret-assignment and settings that name a variable', () => {
  it.each([
    ['tokenEnv: ORESI_GITHUB_TOKEN', false],
    ['secretEnv: ORESI_GITHUB_WEBHOOK_SECRET', false],
    ['apiKeyEnv: ORESI_KUMA_API_KEY', false],
    ['token: s3cr3t-value-123', true],
    ['GITHUB_TOKEN=ghx-not-a-real-token', true],
    ['password = "hunter2hunter2"', true],
  ])('%s → redacted %s', (text, redacted) => {
    const out = createRedactor().redact(text);
    expect(out.includes('***REDACTED***')).toBe(redacted);
  });
});
