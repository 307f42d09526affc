import { type EnvKeepRules, classifyEnvLine, findClosingQuote } from './env-file-parse.js';
import { findFooter, findPrivateKeyBlocks } from './patterns-pem.js';
import { type Redactor, createRedactor } from './redact.js';

/**
 * redact_env.py, streaming. With the default policy:
 * - `TZ PUID PGID UID GID UMASK PORT HOST URL` keep their values (after free-text pattern
 *   redaction of the value, so `URL=https://user:pass@host` loses its password);
 * - empty values and `true`/`false` (any case, quoted or not) are kept unchanged;
 * - comment and blank lines pass through unchanged;
 * - every other assignment becomes `[export ]KEY=***REDACTED***`: quotes and inline comments
 *   are dropped, so the output shape is the same whatever the value looked like; a multi-line
 *   quoted value is consumed whole and becomes that one line;
 * - other lines get free-text redaction (patterns and known secrets); a PEM private key written
 *   as bare lines is swallowed from header to footer.
 * Line endings (`\n` or `\r\n`) are preserved. Memory is one line, capped at `maxLine`: a longer
 * assignment is redacted whole, a longer comment passes, other long text is redacted in pieces.
 * An unterminated quoted value swallows the rest of the input (it is redacted, never shown).
 */
export interface EnvFileRedactor {
  push(chunk: string): string;
  end(): string;
}

export interface EnvFilePolicy extends EnvKeepRules {
  marker: string;
}

type Mode =
  | { kind: 'lines' }
  | { kind: 'value'; quote: '"' | "'"; show: boolean }
  | { kind: 'key' }
  | { kind: 'rest'; emit: 'skip' | 'pass' | 'redact' };

export function createEnvFileRedactor(
  policy: EnvFilePolicy,
  text: Redactor = createRedactor({ marker: policy.marker }),
  maxLine = 65_536,
): EnvFileRedactor {
  let buffer = '';
  let mode: Mode = { kind: 'lines' };
  const redacted = (head: string, eol: string) => `${head}=${policy.marker}${eol}`;

  function freeText(line: string, eol: string): string {
    const blocks = findPrivateKeyBlocks(line);
    if (blocks.at(-1)?.open) mode = { kind: 'key' };
    return text.redact(line) + eol;
  }

  function onLine(line: string, eol: string): string {
    switch (mode.kind) {
      case 'value': {
        const show = mode.show;
        if (findClosingQuote(line, 0, mode.quote) >= 0) mode = { kind: 'lines' };
        return show ? text.redact(line) + eol : '';
      }
      case 'key': {
        const footer = findFooter(line, 0);
        if (!footer) return '';
        mode = { kind: 'lines' };
        const after = line.slice(footer.end);
        // The header line already printed the marker; a bare footer line adds nothing.
        return after.trim() === '' ? '' : freeText(after, eol);
      }
      case 'rest': {
        const emit = mode.emit;
        mode = { kind: 'lines' };
        if (emit === 'skip') return '';
        return (emit === 'pass' ? line : text.redact(line)) + eol;
      }
      case 'lines':
        return onWholeLine(line, eol);
    }
  }

  function onWholeLine(line: string, eol: string): string {
    const parsed = classifyEnvLine(line);
    if (parsed.kind === 'blank' || parsed.kind === 'comment') return line + eol;
    if (parsed.kind === 'other') return freeText(line, eol);
    const name = `${parsed.prefix}${parsed.key}`;
    const safe = policy.safeKeys.includes(parsed.key);
    if (parsed.open && parsed.quote !== '') {
      mode = { kind: 'value', quote: parsed.quote, show: safe };
      return safe ? parsed.head + text.redact(line.slice(parsed.head.length)) + eol : redacted(name, eol);
    }
    if (safe) return parsed.head + text.redact(line.slice(parsed.head.length)) + eol;
    if (policy.keepEmpty && parsed.value === '') return line + eol;
    if (policy.keepBooleans && /^(?:true|false)$/i.test(parsed.value)) return line + eol;
    return redacted(name, eol);
  }

  /** A line longer than maxLine without its end yet: decide from what we have, then drop it. */
  function onLongPrefix(part: string): string {
    if (mode.kind === 'rest') {
      return mode.emit === 'skip' ? '' : mode.emit === 'pass' ? part : text.redact(part);
    }
    if (mode.kind === 'value') {
      const closed = findClosingQuote(part, 0, mode.quote) >= 0;
      const out = mode.show ? text.redact(part) : '';
      if (closed) mode = { kind: 'rest', emit: mode.show ? 'redact' : 'skip' };
      return out;
    }
    if (mode.kind === 'key') {
      const footer = findFooter(part, 0);
      if (footer) mode = { kind: 'rest', emit: 'redact' };
      return '';
    }
    const parsed = classifyEnvLine(part);
    if (parsed.kind === 'assign') {
      mode = parsed.open && parsed.quote !== '' ? { kind: 'value', quote: parsed.quote, show: false } : { kind: 'rest', emit: 'skip' };
      return redacted(`${parsed.prefix}${parsed.key}`, '\n');
    }
    mode = { kind: 'rest', emit: parsed.kind === 'other' ? 'redact' : 'pass' };
    return parsed.kind === 'other' ? text.redact(part) : part;
  }

  return {
    push(chunk) {
      buffer += chunk;
      let out = '';
      let start = 0;
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n', start)) {
        const crlf = nl > start && buffer.charCodeAt(nl - 1) === 13;
        out += onLine(buffer.slice(start, crlf ? nl - 1 : nl), crlf ? '\r\n' : '\n');
        start = nl + 1;
      }
      buffer = buffer.slice(start);
      if (buffer.length > maxLine) {
        // Keep a trailing "\r" or an odd backslash: they change the meaning of what comes next.
        const keep = buffer.endsWith('\r') || /(?<!\\)(?:\\\\)*\\$/.test(buffer.slice(-64)) ? 1 : 0;
        out += onLongPrefix(buffer.slice(0, buffer.length - keep));
        buffer = buffer.slice(buffer.length - keep);
      }
      return out;
    },
    end() {
      const out = buffer === '' ? '' : onLine(buffer, '');
      buffer = '';
      mode = { kind: 'lines' };
      return out;
    },
  };
}
