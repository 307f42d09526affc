import { BUILTIN_PATTERNS, type TextPattern } from './patterns.js';
import { type Detectors, type Span, mergeSpans, renderRedacted, scanText } from './redact-scan.js';
import { type SecretEngine, createSecretMatcher } from './redact-secrets.js';
import { DEFAULT_STREAM_LIMITS, type RedactionStream, type StreamLimits, createRedactionStream } from './redact-stream.js';

/**
 * The boundary redactor: every byte oresi emits passes one of these.
 *
 * Guarantees: every occurrence of a known secret (≥ minSecretLength) is replaced, overlapping
 * ones included; every pattern match is replaced (only its `secret*` groups when it has them);
 * private key blocks are replaced whole, and a header with no footer redacts to the end.
 * Secrets that occur inside the marker itself are ignored (the marker is public, and matching
 * them would redact the marker). Object keys are kept by `redactValue`; only string values change.
 */
export interface RedactorOptions {
  secrets?: readonly string[];
  /** Defaults to the built-in patterns; pass `[...BUILTIN_PATTERNS, ...policyPatterns]` to extend. */
  patterns?: readonly TextPattern[];
  marker?: string;
  /** Shorter known values are not matched exactly, so a secret "1" does not redact every digit. */
  minSecretLength?: number;
  /** Detect PEM private key blocks (default true). */
  privateKeys?: boolean;
  engine?: SecretEngine;
  streamLimits?: StreamLimits;
}

export interface Redactor {
  redact(text: string): string;
  stream(): RedactionStream;
  /**
   * Deep copy of a JSON-like value with every string redacted. Keys, numbers and booleans are
   * kept so the shape (and type) stays the same; a cycle becomes "[Circular]".
   */
  redactValue<T>(value: T): T;
  /** The merged spans `redact` would replace, for callers that add findings of their own. */
  spans(text: string): Span[];
  readonly marker: string;
}

export const DEFAULT_MARKER = '***REDACTED***';

export function createRedactor(options: RedactorOptions = {}): Redactor {
  const marker = options.marker ?? DEFAULT_MARKER;
  const minLength = Math.max(1, options.minSecretLength ?? 6);
  const secrets = (options.secrets ?? []).filter((s) => s.length >= minLength && !marker.includes(s));
  const detectors: Detectors = {
    secrets: createSecretMatcher(secrets, options.engine),
    patterns: options.patterns ?? BUILTIN_PATTERNS,
    privateKeys: options.privateKeys ?? true,
  };
  const limits = options.streamLimits ?? DEFAULT_STREAM_LIMITS;

  function redact(text: string): string {
    const scan = scanText(text, 0, detectors);
    if (scan.hits.length === 0) return text;
    return renderRedacted(text, 0, text.length, mergeSpans(scan.hits), marker);
  }

  function redactValue(value: unknown, seen = new WeakSet<object>()): unknown {
    if (typeof value === 'string') return redact(value);
    if (value === null || typeof value !== 'object') return value;
    if (seen.has(value)) return '[Circular]';
    seen.add(value);
    try {
      if (Array.isArray(value)) return value.map((item) => redactValue(item, seen));
      const json = (value as { toJSON?: unknown }).toJSON;
      if (typeof json === 'function') return redactValue(json.call(value), seen);
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[key] = redactValue(item, seen);
      return out;
    } finally {
      // Shared (non-circular) references are legal in JSON trees; only an ancestor is a cycle.
      seen.delete(value);
    }
  }

  return {
    marker,
    redact,
    spans: (text) => mergeSpans(scanText(text, 0, detectors).hits),
    stream: () => createRedactionStream(detectors, marker, limits),
    redactValue: <T>(value: T): T => redactValue(value) as T,
  };
}
