import { PEM_MARK_MAX, findFooter } from './patterns-pem.js';
import { type Detectors, type Span, mergeSpans, renderRedacted, scanText } from './redact-scan.js';

/**
 * Chunked redaction with bounded memory. Text is held back until it cannot change: the last
 * `hold` characters (longest secret − 1, or the pattern window, whichever is larger) plus any
 * match that reaches into them. Everything before is redacted and emitted.
 *
 * Limits, by design:
 * - A pattern match longer than `window` (16 KiB) may be missed when it straddles a flush; the
 *   built-in regexes are bounded below that (BUILTIN_MAX_MATCH). Known secrets are always caught.
 * - A single match still open after `maxHold` (256 KiB) of held text is cut: a private key block
 *   is then redacted up to its footer however long it is (the stream swallows it); any other
 *   match is redacted as far as it reaches, and what follows is scanned afresh.
 * Output is flushed in batches of about window + batch characters; end() flushes the rest.
 */
export interface StreamLimits {
  window: number;
  batch: number;
  maxHold: number;
  /** Characters of already-emitted text kept so lookbehinds see what precedes the next flush. */
  context: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = { window: 16_384, batch: 49_152, maxHold: 262_144, context: 64 };

export interface RedactionStream {
  push(chunk: string): string;
  end(): string;
}

export function createRedactionStream(
  detectors: Detectors,
  marker: string,
  limits: StreamLimits = DEFAULT_STREAM_LIMITS,
): RedactionStream {
  const hold = Math.max((detectors.secrets?.maxLength ?? 1) - 1, limits.window);
  const maxHold = Math.max(limits.maxHold, hold * 4);
  let context = '';
  let pending = '';
  let insideKey = false;
  let keyTail = '';

  /** While inside an over-long private key, drop input until its footer; returns what follows it. */
  function skipKey(chunk: string): string | undefined {
    const combined = keyTail + chunk;
    const footer = findFooter(combined, 0);
    if (!footer) {
      keyTail = combined.slice(-PEM_MARK_MAX);
      return undefined;
    }
    insideKey = false;
    keyTail = '';
    context = combined.slice(Math.max(0, footer.end - limits.context), footer.end);
    return combined.slice(footer.end);
  }

  function flush(final: boolean): string {
    const text = context + pending;
    const from = context.length;
    const scan = scanText(text, from, detectors);
    let cut = text.length;
    if (!final) {
      cut = cutBefore(text.length - hold, scan.holds);
      if (cut > from && isHighSurrogate(text.charCodeAt(cut - 1))) cut = cutBefore(cut - 1, scan.holds);
      if (text.length - cut > maxHold) {
        if (scan.openKeyAt >= 0) return enterKey(text, from, scan.hits);
        cut = cutAfter(text.length - hold, scan.holds);
      }
      if (cut <= from) return '';
    }
    const out = renderRedacted(text, from, cut, mergeSpans(scan.hits), marker);
    context = text.slice(Math.max(0, cut - limits.context), cut);
    pending = text.slice(cut);
    return out;
  }

  function enterKey(text: string, from: number, hits: Span[]): string {
    const out = renderRedacted(text, from, text.length, mergeSpans(hits), marker);
    insideKey = true;
    keyTail = text.slice(-PEM_MARK_MAX);
    context = '';
    pending = '';
    return out;
  }

  return {
    push(chunk) {
      let rest: string | undefined = chunk;
      if (insideKey) rest = skipKey(chunk);
      if (!rest) return '';
      pending += rest;
      if (pending.length < hold + limits.batch) return '';
      return flush(false);
    },
    end() {
      const out = insideKey ? '' : flush(true);
      context = '';
      pending = '';
      insideKey = false;
      keyTail = '';
      return out;
    },
  };
}

/** The highest cut ≤ `cut` that splits no match: scanning starts from the right, so one pass suffices. */
function cutBefore(cut: number, holds: readonly Span[]): number {
  const byStartDesc = holds.slice().sort((a, b) => b.start - a.start);
  let result = cut;
  for (const h of byStartDesc) if (h.start < result && h.end > result) result = h.start;
  return result;
}

/** The lowest cut ≥ `cut` that splits no match (used only when holding back would exceed maxHold). */
function cutAfter(cut: number, holds: readonly Span[]): number {
  const byStart = holds.slice().sort((a, b) => a.start - b.start);
  let result = cut;
  for (const h of byStart) if (h.start < result && h.end > result) result = h.end;
  return result;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
