/**
 * Static checks for operator-supplied redaction patterns. Every byte oresi emits runs through
 * these regexes, so one catastrophic pattern would stall every response: we refuse the shapes
 * that make V8's backtracking engine exponential instead of hoping inputs are kind.
 *
 * Detected: nested repetition (`(a+)+`, `(?:\w*x)*`, `(a{1,9}){2,}`), backreferences, flags
 * other than `i`, patterns that match the empty string. Not detected: overlapping alternation
 * under repetition (`(a|aa)+`); keep alternations inside repeats disjoint.
 */

const REPEAT = /^(?:\*|\+|\{\d+,\d*\}|\{\d+\})/;

/** The problem with `source`/`flags` as a sentence, or undefined when the pattern is acceptable. */
export function checkPatternSafety(source: string, flags = ''): string | undefined {
  if (!/^i?$/.test(flags)) return `flags "${flags}" are not allowed (only "i")`;
  let compiled: RegExp;
  try {
    compiled = new RegExp(source, flags);
  } catch (err) {
    return `does not compile: ${(err as Error).message}`;
  }
  const structural = findNestedRepetition(source);
  if (structural) return structural;
  if (compiled.test('')) return 'matches the empty string (it would match everywhere)';
  return undefined;
}

interface Group { repeats: boolean }

/** Walks the regex source once, tracking per group whether anything inside it repeats. */
function findNestedRepetition(source: string): string | undefined {
  const stack: Group[] = [{ repeats: false }];
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (ch === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9]/.test(next) || next === 'k') return 'backreferences are not allowed (they can take exponential time)';
      i += 2;
      i = afterQuantifier(source, i, stack);
      continue;
    }
    if (ch === '[') {
      i = skipClass(source, i);
      i = afterQuantifier(source, i, stack);
      continue;
    }
    if (ch === '(') {
      stack.push({ repeats: false });
      i += 1;
      continue;
    }
    if (ch === ')') {
      const group = stack.pop();
      if (!group || stack.length === 0) return 'unbalanced parenthesis';
      i += 1;
      const quant = readQuantifier(source, i);
      if (quant && quant.repeat && group.repeats) {
        return `nested repetition near "${source.slice(Math.max(0, i - 12), i + quant.length)}" ` +
          '(a repeated group that itself contains a repeat can take exponential time)';
      }
      const top = stack[stack.length - 1];
      if (top && (group.repeats || quant?.repeat)) top.repeats = true;
      i += quant ? quant.length : 0;
      continue;
    }
    i = afterQuantifier(source, i + 1, stack);
  }
  return undefined;
}

function afterQuantifier(source: string, i: number, stack: Group[]): number {
  const quant = readQuantifier(source, i);
  if (!quant) return i;
  const top = stack[stack.length - 1];
  if (top && quant.repeat) top.repeats = true;
  return i + quant.length;
}

function readQuantifier(source: string, i: number): { length: number; repeat: boolean } | undefined {
  const rest = source.slice(i, i + 24);
  if (rest.startsWith('?')) return { length: rest[1] === '?' ? 2 : 1, repeat: false };
  const m = REPEAT.exec(rest);
  if (!m) return undefined;
  const lazy = rest[m[0].length] === '?' ? 1 : 0;
  return { length: m[0].length + lazy, repeat: isRepeat(m[0]) };
}

/** `*`, `+`, `{n,}` and `{n,m}` with m > 1 repeat; `{1}` and `{0,1}` do not. */
function isRepeat(quant: string): boolean {
  const bounds = /^\{(\d+)(?:,(\d*))?\}$/.exec(quant);
  if (!bounds) return true;
  const max = bounds[2];
  if (max === undefined) return Number(bounds[1]) > 1;
  return max === '' || Number(max) > 1;
}

function skipClass(source: string, i: number): number {
  let j = i + 1;
  while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
  return j + 1;
}
