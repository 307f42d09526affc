import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createEnvFileRedactor } from './env-file.js';
import { parseEnvEntries } from './env-file-parse.js';
import { DEFAULT_POLICY } from './policy-schema.js';

const M = '***REDACTED***';
const FIXTURES = join(import.meta.dirname, '../../test/fixtures/redact');
const policy = DEFAULT_POLICY.redaction;

function run(text: string, chunks: number[] = [], maxLine?: number): string {
  const r = createEnvFileRedactor(policy, undefined, maxLine);
  const points = [...new Set(chunks.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  let out = '';
  let prev = 0;
  for (const p of points) { out += r.push(text.slice(prev, p)); prev = p; }
  return out + r.push(text.slice(prev)) + r.end();
}

describe('env-file redactor', () => {
  test.each([['basic'], ['dialect']])('golden: %s.env', (name) => {
    const input = readFileSync(join(FIXTURES, `${name}.env`), 'utf8');
    const expected = readFileSync(join(FIXTURES, `${name}.expected.env`), 'utf8');
    expect(run(input)).toBe(expected);
  });

  test.each([
    ['TZ=Europe/Berlin', 'TZ=Europe/Berlin'],
    ['PUID=1000', 'PUID=1000'],
    ['PGID=1000', 'PGID=1000'],
    ['UID=0', 'UID=0'],
    ['GID=0', 'GID=0'],
    ['UMASK=002', 'UMASK=002'],
    ['PORT=8080', 'PORT=8080'],
    ['HOST=nas.local', 'HOST=nas.local'],
    ['URL=https://example.com', 'URL=https://example.com'],
    ['ANYTHING=', 'ANYTHING='],
    ['FLAG=true', 'FLAG=true'],
    ['FLAG=false', 'FLAG=false'],
    ['# comment=secret', '# comment=secret'],
    ['', ''],
    ['   ', '   '],
    ['PASSWORD=x', `PASSWORD=${M}`],
    ['tz=lowercase-is-not-safe', `tz=${M}`],
    ['FLAG=yes', `FLAG=${M}`],
    ['export TOKEN="abc def"', `export TOKEN=${M}`],
  ])('%j → %j (the original behaviour table)', (input, expected) => {
    expect(run(`${input}\n`)).toBe(`${expected}\n`);
  });

  test('CRLF line endings are preserved', () => {
    expect(run('TZ=UTC\r\nSECRET=abc\r\n\r\n# c\r\n')).toBe(`TZ=UTC\r\nSECRET=${M}\r\n\r\n# c\r\n`);
  });

  test('a last line without newline is handled by end()', () => {
    expect(run('A=1\nB=2')).toBe(`A=${M}\nB=${M}`);
  });

  test('an unterminated multi-line value swallows the rest, never shows it', () => {
    expect(run('OK=true\nKEY="never closed\nPORT=1\nmore secret text\n')).toBe(`OK=true\nKEY=${M}\n`);
  });

  test('a safe key with a multi-line value keeps every line', () => {
    expect(run('URL="a\nb"\nX=y\n')).toBe(`URL="a\nb"\nX=${M}\n`);
  });

  describe('lines longer than maxLine', () => {
    const max = 64;
    test('a long assignment is redacted whole, the next line parses normally', () => {
      expect(run(`LONG=${'v'.repeat(500)}\nTZ=UTC\n`, [30, 100, 200], max)).toBe(`LONG=${M}\nTZ=UTC\n`);
    });
    test('a long quoted multi-line value is still consumed to its closing quote', () => {
      expect(run(`LONG="${'v'.repeat(300)}\n${'w'.repeat(300)}"\nTZ=UTC\n`, [50, 150, 400], max)).toBe(`LONG=${M}\nTZ=UTC\n`);
    });
    test('a long comment passes unchanged', () => {
      const line = `# ${'c'.repeat(300)}`;
      expect(run(`${line}\nA=\n`, [70, 140], max)).toBe(`${line}\nA=\n`);
    });
    test('long free text is pattern-redacted in pieces', () => {
      const out = run(`${'x '.repeat(100)}password=abc ${'y '.repeat(100)}\n`, [], max);
      expect(out).not.toContain('password=abc');
      expect(out.endsWith('y \n')).toBe(true);
    });
  });

  test('property: output is the same however the input is chunked', () => {
    const input = readFileSync(join(FIXTURES, 'dialect.env'), 'utf8');
    const whole = run(input);
    fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 40 }), (cuts) => {
      expect(run(input, cuts)).toBe(whole);
    }));
  });

  test('property: no redacted value survives, in any quoting, any chunking', () => {
    const secretValue = fc.string({ unit: fc.constantFrom(...'qvwk+/ '), minLength: 6, maxLength: 30 })
      .filter((v) => v.trim().length === v.length && !v.includes(' #'));
    const entry = fc.record({
      key: fc.constantFrom('DB_PASS', 'TOKEN', 'SECRET_1', 'API', 'TZ', 'PORT'),
      value: secretValue,
      quote: fc.constantFrom('', '"', "'", 'multi'),
      exported: fc.boolean(),
    });
    fc.assert(fc.property(fc.array(entry, { minLength: 1, maxLength: 10 }), fc.array(fc.nat(), { maxLength: 10 }), (entries, cuts) => {
      const lines = entries.map(({ key, value, quote, exported }) => {
        const safe = key === 'TZ' || key === 'PORT';
        const v = safe ? '12345' : value;
        const quoted = quote === 'multi' ? `"${v}\n${v}"` : quote === '' ? v.replace(/ /g, '_') : `${quote}${v}${quote}`;
        return `${exported ? 'export ' : ''}${key}=${quoted}`;
      });
      const out = run(lines.join('\n') + '\n', cuts);
      for (const { key, value } of entries) {
        if (key === 'TZ' || key === 'PORT') continue;
        expect(out).not.toContain(value);
        expect(out).not.toContain(value.replace(/ /g, '_'));
      }
      expect(out.split('\n').filter((l) => l.includes(M))).toHaveLength(entries.filter((e) => e.key !== 'TZ' && e.key !== 'PORT').length);
    }));
  });
});

describe('parseEnvEntries', () => {
  test('reads keys and values as compose would', () => {
    const text = readFileSync(join(FIXTURES, 'dialect.env'), 'utf8');
    const byKey = Object.fromEntries(parseEnvEntries(text).map((e) => [e.key, e.value]));
    expect(byKey.SECRET_KEY).toBe('abc123');
    expect(byKey.QUOTED).toBe('a value with spaces');
    expect(byKey.WITH_COMMENT).toBe('value');
    expect(byKey.HASH_IN_VALUE).toBe('abc#def');
    expect(byKey.ESCAPED).toBe('say \\"hi\\" # not a comment');
    expect(byKey.CERT).toBe('-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ\n-----END CERTIFICATE-----');
    expect(byKey.MULTI_SINGLE).toBe('line one\nline two');
    expect(byKey.SPACED).toBe('value');
    expect(byKey.EMPTY_QUOTED).toBe('');
  });
});
