import type { Redactor } from '../policy/redact.js';
import type { Span } from '../policy/redact-scan.js';
import { findSecretlintRanges } from '../policy/redact-thorough.js';
import type { FileChange, SecretHit } from './types.js';

/**
 * Secret-looking values in the lines a PR adds: the redactor's patterns (and known secrets it
 * was given) plus secretlint's recommended preset. Only positions are kept, never values.
 * References and placeholders (`${DB_PASSWORD}`, `${{ secrets.TOKEN }}`, `/run/secrets/db`,
 * `<token>`, `changeme`) are how a secret is kept OUT of a repository, so they are not
 * findings; nor is prose ("secrets: they live on the host") caught by the broad `secret:`
 * assignment pattern, which is what a word without digits, case mix or symbols is. A value
 * from a committed env file is always a finding, whatever it looks like.
 */
const NOT_A_SECRET = /^(?:\$\{|\$[A-Za-z_]|\/run\/secrets\/|<[^>]*>$|(?:x+|\*+|changeme|change-me|example|placeholder|redacted|none|null|true|false)$)/i;
const PROSE_WORD = /^[a-z]{1,24}[.,;:]?$/;

export async function findSecretHits(files: readonly FileChange[], redactor: Redactor, known: readonly string[] = []): Promise<SecretHit[]> {
  const hits: SecretHit[] = [];
  for (const f of files) {
    if (f.binary || f.added.length === 0) continue;
    const text = f.added.map((a) => a.text).join('\n');
    const starts = lineStarts(text);
    const seen = new Set<number>();
    const record = (span: Span, detector: string): void => {
      const value = text.slice(span.start, span.end).replace(/^["']|["']$/g, '').trim();
      const isKnown = known.some((k) => value.includes(k));
      if (!isKnown && (value === '' || value.includes(redactor.marker) || NOT_A_SECRET.test(value) || PROSE_WORD.test(value))) return;
      const index = lineIndexAt(starts, span.start);
      if (seen.has(index)) return;
      seen.add(index);
      hits.push({ path: f.path, line: f.added[index]?.line ?? 0, detector: isKnown ? 'committed env value' : detector });
    };
    for (const span of redactor.spans(text)) record(span, 'redaction patterns');
    for (const span of await findSecretlintRanges(text)) record(span, 'secretlint');
  }
  return hits;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i += 1) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

function lineIndexAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
