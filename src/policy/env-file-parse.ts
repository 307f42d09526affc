/**
 * The dotenv dialect docker compose reads (.env, global.env), one line at a time:
 * `[export ]KEY=value`, `KEY="double quoted, \" escapes, may span lines"`, `KEY='single quoted,
 * may span lines'`, unquoted values end at ` #` (an inline comment needs whitespace before
 * `#`), `#` comments and blank lines. Anything else is "other" text.
 */
export type EnvLine =
  | { kind: 'blank' }
  | { kind: 'comment' }
  | { kind: 'other' }
  | {
    kind: 'assign';
    /** Leading whitespace and `export `, as written. */
    prefix: string;
    /** Everything before the value: prefix, key, `=` and the spaces around it. */
    head: string;
    key: string;
    /** The value without quotes; for an open (multi-line) value, its first line. */
    value: string;
    quote: '"' | "'" | '';
    /** A quoted value that continues on the next line. */
    open: boolean;
  };

const ASSIGNMENT = /^(\s*(?:export[ \t]+)?)([A-Za-z_][A-Za-z0-9_.-]{0,255})[ \t]*=[ \t]*/;

/** Classifies one line (without its line ending). */
export function classifyEnvLine(line: string): EnvLine {
  const trimmed = line.trimStart();
  if (trimmed === '') return { kind: 'blank' };
  if (trimmed.startsWith('#')) return { kind: 'comment' };
  const m = ASSIGNMENT.exec(line);
  if (!m) return { kind: 'other' };
  const prefix = m[1] ?? '';
  const key = m[2] ?? '';
  const head = m[0];
  const rest = line.slice(head.length);
  const first = rest[0];
  if (first === '"' || first === "'") {
    const close = findClosingQuote(rest, 1, first);
    if (close < 0) return { kind: 'assign', prefix, head, key, value: rest.slice(1), quote: first, open: true };
    return { kind: 'assign', prefix, head, key, value: rest.slice(1, close), quote: first, open: false };
  }
  const comment = /\s#/.exec(rest);
  const value = (comment ? rest.slice(0, comment.index) : rest).trimEnd();
  return { kind: 'assign', prefix, head, key, value, quote: '', open: false };
}

/** Index of the quote closing a value in `text` from `from`, or -1; backslash escapes only in "…". */
export function findClosingQuote(text: string, from: number, quote: '"' | "'"): number {
  if (quote === "'") return text.indexOf("'", from);
  for (let i = from; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '\\') i += 1;
    else if (ch === '"') return i;
  }
  return -1;
}

export interface EnvEntry {
  key: string;
  value: string;
}

/** Every assignment in a whole env file, multi-line values joined with "\n". */
export function parseEnvEntries(text: string): EnvEntry[] {
  const entries: EnvEntry[] = [];
  let open: { key: string; quote: '"' | "'"; lines: string[] } | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (open) {
      const close = findClosingQuote(line, 0, open.quote);
      open.lines.push(close < 0 ? line : line.slice(0, close));
      if (close >= 0) {
        entries.push({ key: open.key, value: open.lines.join('\n') });
        open = undefined;
      }
      continue;
    }
    const parsed = classifyEnvLine(line);
    if (parsed.kind !== 'assign') continue;
    if (parsed.open && parsed.quote !== '') open = { key: parsed.key, quote: parsed.quote, lines: [parsed.value] };
    else entries.push({ key: parsed.key, value: parsed.value });
  }
  if (open) entries.push({ key: open.key, value: open.lines.join('\n') });
  return entries;
}

/** The keep rules of the original redact_env.py, driven by the policy. */
export interface EnvKeepRules {
  safeKeys: readonly string[];
  keepBooleans: boolean;
  keepEmpty: boolean;
}

/** True when a closed value of `key` may be shown as is (before free-text pattern redaction). */
export function isKeptValue(key: string, value: string, rules: EnvKeepRules): boolean {
  if (rules.safeKeys.includes(key)) return true;
  if (rules.keepEmpty && value === '') return true;
  return rules.keepBooleans && /^(?:true|false)$/i.test(value);
}
