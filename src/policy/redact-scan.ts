import type { TextPattern } from './patterns.js';
import { findPrivateKeyBlocks } from './patterns-pem.js';
import type { SecretMatcher } from './redact-secrets.js';

/**
 * One scan of a text for everything that must not leave the process. Every detector reports the
 * spans to replace; overlapping spans are merged before rendering, so detectors never see each
 * other's markers and the output does not depend on the order they run in.
 */
export interface Span {
  start: number;
  end: number;
}

export interface ScanResult {
  /** Spans to replace with the marker (possibly overlapping, unsorted). */
  hits: Span[];
  /** Full extents of every match (a pattern's context included); a stream must not cut inside one. */
  holds: Span[];
  /** Start of a private key block with no footer yet, or -1. */
  openKeyAt: number;
}

export interface Detectors {
  secrets?: SecretMatcher | undefined;
  patterns: readonly TextPattern[];
  privateKeys: boolean;
}

/** Scans text[from..]; lookbehinds may still see text before `from`. */
export function scanText(text: string, from: number, detectors: Detectors): ScanResult {
  const hits: Span[] = [];
  const holds: Span[] = [];
  let openKeyAt = -1;
  detectors.secrets?.find(text, from, (start, end) => {
    const span = { start, end };
    hits.push(span);
    holds.push(span);
  });
  for (const pattern of detectors.patterns) collectPattern(text, from, pattern.regex, hits, holds);
  if (detectors.privateKeys) {
    for (const block of findPrivateKeyBlocks(text, from)) {
      if (block.open) openKeyAt = block.start;
      const span = { start: block.start, end: block.end };
      hits.push(span);
      holds.push(span);
    }
  }
  return { hits, holds, openKeyAt };
}

function collectPattern(text: string, from: number, regex: RegExp, hits: Span[], holds: Span[]): void {
  regex.lastIndex = from;
  let m: RegExpExecArray | null;
  while ((m = regex.exec(text)) !== null) {
    const end = m.index + m[0].length;
    if (end === m.index) {
      // Config validation refuses empty-matching patterns; this only keeps a bad one from looping.
      regex.lastIndex = m.index + 1;
      continue;
    }
    holds.push({ start: m.index, end });
    let grouped = false;
    const groups = m.indices?.groups;
    if (groups) {
      for (const name in groups) {
        const range = groups[name];
        if (range && name.startsWith('secret')) {
          hits.push({ start: range[0], end: range[1] });
          grouped = true;
        }
      }
    }
    if (!grouped) hits.push({ start: m.index, end });
  }
}

/** Sorted, with overlapping spans merged; touching spans stay apart (each gets its own marker). */
export function mergeSpans(spans: Span[]): Span[] {
  if (spans.length < 2) return spans.slice();
  const sorted = spans.slice().sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  let current = { ...(sorted[0] as Span) };
  for (let i = 1; i < sorted.length; i += 1) {
    const next = sorted[i] as Span;
    if (next.start < current.end) {
      if (next.end > current.end) current.end = next.end;
    } else {
      merged.push(current);
      current = { ...next };
    }
  }
  merged.push(current);
  return merged;
}

/** text[from..to) with every (merged) hit replaced by the marker; hits must not cross `from` or `to`. */
export function renderRedacted(text: string, from: number, to: number, merged: readonly Span[], marker: string): string {
  let out = '';
  let pos = from;
  for (const span of merged) {
    if (span.end <= from || span.start >= to) continue;
    const start = Math.max(span.start, from);
    out += text.slice(pos, start) + marker;
    pos = Math.min(span.end, to);
  }
  return out + text.slice(pos, to);
}
