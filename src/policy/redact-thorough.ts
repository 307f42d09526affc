import { lintSource } from '@secretlint/core';
import { creator as recommendedPreset } from '@secretlint/secretlint-rule-preset-recommend';
import type { Redactor } from './redact.js';
import { type Span, mergeSpans, renderRedacted } from './redact-scan.js';

/**
 * For one-shot texts (a diff for review, an audit export, text sent to a reviewer model): our
 * patterns and known secrets plus every finding of secretlint's recommended preset. Secretlint
 * is async and whole-text, so the streaming hot path does not use it. Where secretlint flags a
 * span it replaces all of it (for a URL with credentials that includes the host).
 */
export async function redactTextThorough(text: string, redactor: Redactor): Promise<string> {
  const spans: Span[] = redactor.spans(text);
  for (const range of await findSecretlintRanges(text)) spans.push(range);
  if (spans.length === 0) return text;
  return renderRedacted(text, 0, text.length, mergeSpans(spans), redactor.marker);
}

/** Secretlint's findings as spans of `text`. */
export async function findSecretlintRanges(text: string): Promise<Span[]> {
  const result = await lintSource({
    source: { content: text, filePath: 'oresi-text.txt', contentType: 'text' },
    options: {
      config: { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: recommendedPreset }] },
      noPhysicFilePath: true,
    },
  });
  return result.messages
    .filter((m) => m.range[1] > m.range[0])
    .map((m) => ({ start: m.range[0], end: m.range[1] }));
}
