import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { RedactionPolicy } from '../policy/policy-schema.js';
import { createRedactor } from '../policy/redact.js';
import { buildRedactor, redactStream } from './redact.js';

const M = '***REDACTED***';

async function collect(input: Readable | AsyncIterable<string | Uint8Array>, mode: 'env' | 'text', redactor = createRedactor()) {
  let out = '';
  const result = await redactStream({ input, write: (s) => { out += s; }, mode, redactor });
  return { out, result };
}

describe('redactStream', () => {
  test('text mode over a Node Readable of Buffers', async () => {
    const { out, result } = await collect(Readable.from([Buffer.from('Authorization: Bearer abc'), Buffer.from('def\nok\n')]), 'text');
    expect(out).toBe(`Authorization: Bearer ${M}\nok\n`);
    expect(result.charsIn).toBe('Authorization: Bearer abcdef\nok\n'.length);
    expect(result.charsOut).toBe(out.length);
  });

  test('a UTF-8 character split across chunks is decoded, not replaced', async () => {
    const bytes = Buffer.from('grüße 😀 password=geheim\n');
    const chunks = Array.from(bytes).map((b) => Uint8Array.of(b));
    const { out } = await collect(Readable.from(chunks), 'text');
    expect(out).toBe(`grüße 😀 password=${M}\n`);
  });

  test('env mode uses the env-file rules', async () => {
    const { out } = await collect(Readable.from(['TZ=UTC\nDB_', 'PASSWORD=x\nON=true\n']), 'env');
    expect(out).toBe(`TZ=UTC\nDB_PASSWORD=${M}\nON=true\n`);
  });

  test('an async write is awaited before the next chunk (backpressure)', async () => {
    const order: string[] = [];
    async function* source() { order.push('read-1'); yield 'a'.repeat(70_000); order.push('read-2'); yield 'b'; }
    await redactStream({
      input: source(), mode: 'text', redactor: createRedactor(),
      write: async (s) => { order.push(`write-${s.length}`); await new Promise((r) => setImmediate(r)); order.push('written'); },
    });
    expect(order.slice(0, 4)).toEqual(['read-1', expect.stringMatching(/^write-\d+$/), 'written', 'read-2']);
  });
});

describe('buildRedactor', () => {
  test('uses stack secrets and policy patterns', async () => {
    const root = await mkdtemp(join(tmpdir(), 'oresi-redact-'));
    try {
      await mkdir(join(root, 'media'));
      await writeFile(join(root, 'media', '.env'), 'PLEX_CLAIM=claim-abc123\n');
      const policy = RedactionPolicy.parse({ patterns: [{ name: 'house', regex: 'HOUSE-[0-9]{4}' }] });
      const r = await buildRedactor({ policy, stacksRoot: root, fs: fsp });
      expect(r.redact('claim=claim-abc123? id HOUSE-1234 and claim-abc123')).toBe(`claim=${M}? id ${M} and ${M}`);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
