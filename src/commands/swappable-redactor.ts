import type { Redactor } from './types.js';

export interface SwappableRedactor extends Redactor {
  /** Replaces the rules (e.g. after new .env files arrived); every holder sees the new ones. */
  swap(next: Redactor): void;
}

/**
 * The logger, the HTTP edge, the notifier and the commands all hold this one object, so a
 * reload that learns new secret values protects every boundary at once.
 */
export function createSwappableRedactor(initial: Redactor): SwappableRedactor {
  let current = initial;
  return {
    redact: (text) => current.redact(text),
    redactValue: (value) => current.redactValue(value),
    swap: (next) => { current = next; },
  };
}
