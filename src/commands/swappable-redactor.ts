import type { Redactor } from '../model.js';

export interface SwappableRedactor extends Redactor {
  /** Replaces the rules (e.g. after new .env files arrived); every holder sees the new ones. */
  swap(next: Redactor): void;
}

/** Texts up to this long are remembered: log messages, request paths, short fields. */
const MEMO_MAX_LENGTH = 512;
/** Bounded: when full the memo starts over, so random texts cannot grow it. */
const MEMO_MAX_ENTRIES = 2048;

/**
 * The logger, the HTTP edge, the notifier and the commands all hold this one object, so a
 * reload that learns new secret values protects every boundary at once.
 *
 * The same short texts pass here over and over (every request line redacts its path and its
 * message), so their answers are remembered until the rules change: `swap` forgets them all,
 * and a text is never answered from rules older than the current ones.
 */
export function createSwappableRedactor(initial: Redactor): SwappableRedactor {
  let current = initial;
  let memo = new Map<string, string>();
  return {
    redact: (text) => {
      if (text.length > MEMO_MAX_LENGTH) return current.redact(text);
      const known = memo.get(text);
      if (known !== undefined) return known;
      const redacted = current.redact(text);
      if (memo.size >= MEMO_MAX_ENTRIES) memo = new Map();
      memo.set(text, redacted);
      return redacted;
    },
    redactValue: (value) => current.redactValue(value),
    swap: (next) => {
      current = next;
      memo = new Map();
    },
  };
}
