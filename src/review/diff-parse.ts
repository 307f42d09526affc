import type { AddedLine, FileStatus } from './types.js';

/**
 * Parsers for the two git outputs the review reads: `diff --name-status -z -M` and a unified
 * patch. Pure, so odd file names and odd diffs are tested without a repository.
 */
export interface NameStatus {
  path: string;
  status: FileStatus;
  oldPath?: string;
}

const STATUS: Record<string, FileStatus> = { A: 'added', M: 'modified', D: 'deleted', R: 'renamed', C: 'copied', T: 'type_changed' };

export function parseNameStatusZ(out: string): NameStatus[] {
  const fields = out.split('\0');
  const entries: NameStatus[] = [];
  for (let i = 0; i < fields.length;) {
    const code = fields[i] ?? '';
    i += 1;
    if (code === '') continue;
    const status = STATUS[code[0] ?? ''] ?? 'modified';
    if (status === 'renamed' || status === 'copied') {
      const oldPath = fields[i] ?? '';
      const path = fields[i + 1] ?? '';
      i += 2;
      entries.push({ path, status, oldPath });
    } else {
      const path = fields[i] ?? '';
      i += 1;
      entries.push({ path, status });
    }
  }
  return entries;
}

export interface PatchFile {
  added: AddedLine[];
  binary: boolean;
}

/** Added lines per head path, with their line numbers in the head version. */
export function parseUnifiedDiff(patch: string): Map<string, PatchFile> {
  const files = new Map<string, PatchFile>();
  let current: PatchFile | undefined;
  let inHunk = false;
  let nextLine = 0;
  const open = (path: string | null): void => {
    if (path === null) {
      current = undefined;
      return;
    }
    current = files.get(path) ?? { added: [], binary: false };
    files.set(path, current);
  };
  for (const raw of patch.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.startsWith('diff --git ')) {
      inHunk = false;
      current = undefined;
      continue;
    }
    if (!inHunk) {
      if (line.startsWith('+++ ')) open(stripPrefix(line.slice(4)));
      else if (line.startsWith('Binary files ')) {
        const m = / and (.*) differ$/.exec(line);
        open(m ? stripPrefix(m[1] ?? '') : null);
        if (current) current.binary = true;
      }
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (hunk) {
      inHunk = true;
      nextLine = Number(hunk[1]);
      continue;
    }
    if (!inHunk || !current) continue;
    if (line.startsWith('+')) {
      current.added.push({ line: nextLine, text: line.slice(1) });
      nextLine += 1;
    } else if (line.startsWith(' ')) {
      nextLine += 1;
    }
  }
  return files;
}

/** `b/path`, `"b/odd\tname"` or `/dev/null` → the repository path, or null. */
function stripPrefix(field: string): string | null {
  let text = field.replace(/\t$/, '');
  if (text.startsWith('"') && text.endsWith('"')) text = unquoteC(text.slice(1, -1));
  if (text === '/dev/null') return null;
  return text.startsWith('b/') ? text.slice(2) : text;
}

/** Git's C-style quoting of unusual path bytes (\t, \n, \", \\, octal escapes of UTF-8). */
function unquoteC(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i] as string;
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const next = text[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(text.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      const map: Record<string, number> = { t: 9, n: 10, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
      bytes.push(map[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Splits a whole patch into per-file chunks keyed by head path (deleted files by old path). */
export function splitPatchByFile(patch: string): { path: string; text: string }[] {
  const chunks: { path: string; text: string }[] = [];
  const parts = patch.split(/^(?=diff --git )/m).filter((p) => p.startsWith('diff --git '));
  for (const part of parts) {
    const plus = /^\+\+\+ (.*)$/m.exec(part);
    const minus = /^--- (.*)$/m.exec(part);
    const path = (plus ? stripPrefix(plus[1] ?? '') : null) ?? (minus ? stripPrefix((minus[1] ?? '').replace(/^a\//, 'b/')) : null);
    chunks.push({ path: path ?? '', text: part });
  }
  return chunks;
}
