/**
 * Text rules compose applies to a file before using it: `${VAR}` interpolation and the shell-like
 * split of a string `command:`. Pure; kept apart from the YAML walk so both can be tested alone.
 */

export interface Interpolated {
  value: string;
  /** A variable was neither set nor given a default: compose would substitute "" and warn. */
  unresolved: boolean;
}

const PATTERN = /\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^}\\]|\\.)*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** `$$`, `$VAR`, `${VAR}`, `${VAR:-def}`, `${VAR-def}`, `${VAR:?err}`, `${VAR?err}`, `${VAR:+alt}`, `${VAR+alt}`. */
export function interpolate(text: string, vars: Readonly<Record<string, string>>): Interpolated {
  let unresolved = false;
  const value = text.replace(PATTERN, (_m, dollar?: string, braced?: string, op?: string, arg?: string, bare?: string) => {
    if (dollar) return '$';
    const name = (braced ?? bare) as string;
    const set = Object.hasOwn(vars, name);
    const val = set ? (vars[name] as string) : undefined;
    const nonEmpty = val !== undefined && val !== '';
    switch (op) {
      case ':-': return nonEmpty ? (val as string) : (arg ?? '');
      case '-': return set ? (val as string) : (arg ?? '');
      case ':+': return nonEmpty ? (arg ?? '') : '';
      case '+': return set ? (arg ?? '') : '';
      case ':?':
      case '?':
        if (op === ':?' ? nonEmpty : set) return val as string;
        unresolved = true;
        return '';
      default:
        if (!set) unresolved = true;
        return val ?? '';
    }
  });
  return { value, unresolved };
}

/**
 * Splits a command string the way compose does (Python's shlex in POSIX mode): whitespace
 * separates words, single quotes are literal, double quotes allow `\"` and `\\`, a bare
 * backslash escapes the next character. null for an unterminated quote.
 */
export function splitCommand(text: string): string[] | null {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i] as string;
    if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return null;
      word += text.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (ch === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j += 1) {
        const next = text[j + 1];
        if (text[j] === '\\' && (next === '"' || next === '\\' || next === '$' || next === '`')) {
          word += next;
          j += 1;
        } else {
          word += text[j];
        }
      }
      if (j >= text.length) return null;
      inWord = true;
      i = j;
    } else if (ch === '\\') {
      word += text[i + 1] ?? '';
      inWord = true;
      i += 1;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}
