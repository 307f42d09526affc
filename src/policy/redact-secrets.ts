/**
 * Exact matching of known secret values (from stack .env files), up to thousands of them.
 *
 * Two interchangeable engines; bench/redact.mjs measures both. Aho–Corasick (a dense DFA) is the
 * default: about 2× the alternation regex on log text with 200 secrets, because V8 cannot skip
 * ahead in an alternation of unrelated literals. Each reports, for every position
 * where some secret starts (alternation) or ends (Aho–Corasick), the longest secret there, so
 * the union of hits covers every occurrence of every secret, overlapping ones included.
 */
export interface SecretMatcher {
  readonly engine: 'alternation' | 'aho-corasick';
  /** Length of the longest secret, in UTF-16 code units. */
  readonly maxLength: number;
  find(text: string, from: number, onHit: (start: number, end: number) => void): void;
}

export type SecretEngine = SecretMatcher['engine'];

export function createSecretMatcher(secrets: readonly string[], engine: SecretEngine = 'aho-corasick'): SecretMatcher | undefined {
  const unique = [...new Set(secrets.filter((s) => s.length > 0))];
  if (unique.length === 0) return undefined;
  return engine === 'alternation' ? createAlternationMatcher(unique) : createAhoCorasickMatcher(unique);
}

function escapeRegex(value: string): string {
  return value.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** One regex of escaped secrets, longest first, so the first alternative that matches is the longest. */
function createAlternationMatcher(secrets: string[]): SecretMatcher {
  const sorted = [...secrets].sort((a, b) => b.length - a.length);
  const source = sorted.map(escapeRegex).join('|');
  const maxLength = sorted[0]?.length ?? 0;
  return {
    engine: 'alternation',
    maxLength,
    find(text, from, onHit) {
      const re = new RegExp(source, 'g');
      re.lastIndex = from;
      let m: RegExpExecArray | null;
      while ((m = re.exec(text)) !== null) {
        onHit(m.index, m.index + m[0].length);
        // Restart one past the start, not past the end: a secret overlapping this one must be seen too.
        re.lastIndex = m.index + 1;
      }
    },
  };
}

/** Above this many table cells the automaton keeps sparse edges instead of a dense DFA. */
const MAX_DFA_CELLS = 4_000_000; // 16 MB of Int32; about 1,500 secrets of 30 characters

/**
 * Aho–Corasick compiled to a dense DFA over character classes: characters that occur in no
 * secret share class 0, so the table is nodes × (distinct secret characters + 1) and the scan
 * is one array load per input character.
 */
function createAhoCorasickMatcher(secrets: string[]): SecretMatcher {
  const classOf = new Uint16Array(65_536);
  let classes = 1;
  for (const secret of secrets) {
    for (let i = 0; i < secret.length; i += 1) {
      const code = secret.charCodeAt(i);
      if (classOf[code] === 0) classOf[code] = classes++;
    }
  }
  // Trie with sparse edges first; fail links breadth-first; then every missing edge filled in.
  const edges: Array<Map<number, number>> = [new Map()];
  const longest: number[] = [0];
  for (const secret of secrets) {
    let node = 0;
    for (let i = 0; i < secret.length; i += 1) {
      const cls = classOf[secret.charCodeAt(i)] ?? 0;
      let next = edges[node]?.get(cls);
      if (next === undefined) {
        next = edges.length;
        edges.push(new Map());
        longest.push(0);
        edges[node]?.set(cls, next);
      }
      node = next;
    }
    longest[node] = Math.max(longest[node] ?? 0, secret.length);
  }
  const nodes = edges.length;
  if (nodes * classes > MAX_DFA_CELLS) return createAlternationMatcher(secrets);
  const table = new Int32Array(nodes * classes);
  const fail = new Int32Array(nodes);
  const queue: number[] = [];
  for (let c = 0; c < classes; c += 1) {
    const child = edges[0]?.get(c) ?? 0;
    table[c] = child;
    if (child !== 0) queue.push(child);
  }
  for (let qi = 0; qi < queue.length; qi += 1) {
    const node = queue[qi] ?? 0;
    const f = fail[node] ?? 0;
    longest[node] = Math.max(longest[node] ?? 0, longest[f] ?? 0);
    for (let c = 0; c < classes; c += 1) {
      const child = edges[node]?.get(c);
      if (child === undefined) {
        table[node * classes + c] = table[f * classes + c] ?? 0;
      } else {
        table[node * classes + c] = child;
        fail[child] = table[f * classes + c] ?? 0;
        queue.push(child);
      }
    }
  }
  const out = Int32Array.from(longest);
  return {
    engine: 'aho-corasick',
    maxLength: Math.max(...secrets.map((s) => s.length)),
    find(text, from, onHit) {
      let node = 0;
      for (let i = from; i < text.length; i += 1) {
        node = table[node * classes + (classOf[text.charCodeAt(i)] ?? 0)] ?? 0;
        const len = out[node] ?? 0;
        if (len > 0) onHit(i + 1 - len, i + 1);
      }
    },
  };
}
