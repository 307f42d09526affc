import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { Document, Node } from 'yaml';
import type { z } from 'zod';

/**
 * YAML with positions. Everything oresi reads from YAML (intents, oresi.yaml) is reported as
 * `file:line:col path: message`, so a person can jump to the mistake. Pure: text in, data out.
 */
export interface Diagnostic {
  file: string;
  /** 1-based; 0 when the value did not come from a file (an environment variable). */
  line: number;
  col: number;
  /** Dotted path into the document (`steps[0].replicas`), or the variable name. */
  path: string;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; errors: Diagnostic[] };

export type PathSegment = string | number;

/** One parsed YAML document with what is needed to point back into its text. */
export interface SourceDoc {
  file: string;
  /** 0-based position of the document within its file. */
  index: number;
  /** The plain JS value (aliases expanded, bounded). */
  value: unknown;
  /** The exact text of this document. */
  source: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out === '' ? '<root>' : out;
}

export function formatDiagnostic(d: Diagnostic): string {
  if (d.line === 0) return `${d.file} ${d.path}: ${d.message}`;
  return `${d.file}:${d.line}:${d.col} ${d.path}: ${d.message}`;
}

/** Splits a file into YAML documents; syntax errors (including duplicate keys) come back positioned. */
export function parseYamlDocuments(text: string, file: string): Result<SourceDoc[]> {
  const lineCounter = new LineCounter();
  // Pinned to the YAML 1.2 core schema: no `<<` merges, no custom tags, no surprises.
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, schema: 'core', uniqueKeys: true });
  const errors: Diagnostic[] = [];
  if ('empty' in docs) {
    // An "empty stream" still carries errors from stray directives.
    for (const e of docs.errors) errors.push(positioned(file, lineCounter, e.pos[0], '<root>', e.message));
    return errors.length > 0 ? { ok: false, errors } : { ok: true, value: [] };
  }
  const out: SourceDoc[] = [];
  docs.forEach((doc, index) => {
    for (const e of doc.errors) errors.push(positioned(file, lineCounter, e.pos[0], '<root>', e.message));
    if (doc.errors.length > 0) return;
    let value: unknown;
    try {
      // maxAliasCount bounds "billion laughs" expansion.
      value = doc.toJS({ maxAliasCount: 50 });
    } catch (err) {
      errors.push(positioned(file, lineCounter, doc.range[0], '<root>', (err as Error).message));
      return;
    }
    const source = docs.length === 1 ? text : text.slice(doc.range[0], doc.range[2]);
    out.push({ file, index, value, source, doc, lineCounter });
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: out };
}

/** Whether the document has no content at all (`---` with nothing after it). */
export function isEmptyDoc(sd: SourceDoc): boolean {
  return sd.doc.contents === null || sd.value === null || sd.value === undefined;
}

function positioned(file: string, lc: LineCounter, offset: number, path: string, message: string): Diagnostic {
  const { line, col } = lc.linePos(offset);
  return { file, line, col, path, message };
}

interface Located { node: Node | undefined; keyNode: Node | undefined }

/** Walks `path` as far as the document has nodes for it. */
function walk(sd: SourceDoc, path: readonly PropertyKey[]): Located {
  let node: unknown = sd.doc.contents;
  let keyNode: Node | undefined;
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(sd.doc);
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (pair) {
        keyNode = pair.key as Node;
        next = pair.value ?? pair.key;
      }
    } else if (isSeq(node) && typeof seg === 'number') {
      next = node.items[seg];
      keyNode = undefined;
    }
    if (next === undefined || next === null) break;
    node = next;
  }
  return { node: (node ?? undefined) as Node | undefined, keyNode };
}

/**
 * A diagnostic at `path`. With `at: 'key'` it points at the key (for "unknown key"), otherwise at
 * the value; a path that does not exist (a missing required field) points at its deepest parent.
 */
export function diagnosticAt(sd: SourceDoc, path: readonly PropertyKey[], message: string, at: 'value' | 'key' = 'value'): Diagnostic {
  const { node, keyNode } = walk(sd, path);
  const target = at === 'key' && keyNode ? keyNode : node;
  const offset = target?.range?.[0] ?? sd.doc.range[0];
  return positioned(sd.file, sd.lineCounter, offset, formatPath(path), message);
}

/** Zod issues → positioned diagnostics, with messages a person can act on. */
export function issuesToDiagnostics(sd: SourceDoc, issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push(diagnosticAt(sd, [...path, key], `unknown key "${key}"`, 'key'));
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      out.push(...unionToDiagnostics(sd, issue, path));
    } else if (issue.code === 'invalid_union' && 'options' in issue && Array.isArray(issue.options)) {
      out.push(diagnosticAt(sd, path, `expected one of ${issue.options.join(', ')}`));
    } else {
      out.push(diagnosticAt(sd, path, cleanMessage(issue.message)));
    }
  }
  return out;
}

/**
 * Zod reports "Invalid input" for a union; say which branch was meant instead. Branches that
 * failed only because the value had the wrong type are dropped; if one branch remains, its
 * issues are the real ones.
 */
function unionToDiagnostics(sd: SourceDoc, issue: z.core.$ZodIssueInvalidUnion, path: PropertyKey[]): Diagnostic[] {
  const isTypeMiss = (branch: z.core.$ZodIssue[]): boolean =>
    branch.every((i) => i.code === 'invalid_type' && i.path.length === 0);
  const relevant = issue.errors.filter((b) => !isTypeMiss(b));
  if (relevant.length === 1 && relevant[0]) return issuesToDiagnostics(sd, relevant[0], path);
  const expected = new Set<string>();
  for (const branch of issue.errors) {
    for (const i of branch) if (i.code === 'invalid_type' && i.path.length === 0) expected.add(describeExpected(i.expected));
  }
  const message = expected.size > 0 ? `expected ${[...expected].join(' or ')}` : 'invalid value';
  return [diagnosticAt(sd, path, message)];
}

function describeExpected(expected: string): string {
  // The only object in an oresi union is a parameter reference.
  return expected === 'object' ? '{ param: <name> }' : expected;
}

function cleanMessage(message: string): string {
  return message.replace(/^Invalid input: /, '');
}

/** Parses a single-document YAML file and validates it with `schema`. Empty text is `{}`. */
export function parseYamlWith<S extends z.ZodType>(schema: S, text: string, file: string): Result<{ value: z.output<S>; doc: SourceDoc | undefined }> {
  const parsed = parseYamlDocuments(text, file);
  if (!parsed.ok) return parsed;
  const docs = parsed.value.filter((d) => !isEmptyDoc(d));
  if (docs.length > 1) {
    const second = docs[1] as SourceDoc;
    return { ok: false, errors: [diagnosticAt(second, [], 'expected a single YAML document, found more than one')] };
  }
  const sd = docs[0];
  const result = schema.safeParse(sd ? sd.value : {});
  if (result.success) return { ok: true, value: { value: result.data, doc: sd } };
  if (!sd) return { ok: false, errors: result.error.issues.map((i) => ({ file, line: 1, col: 1, path: formatPath(i.path), message: cleanMessage(i.message) })) };
  return { ok: false, errors: issuesToDiagnostics(sd, result.error.issues) };
}
