import { AppError } from '../errors.js';
import { runArgv } from '../exec/run-argv.js';
import type { Sys } from '../sys/sys.js';
import { parseComposeFacts } from './compose-facts.js';
import { parseNameStatusZ, parseUnifiedDiff } from './diff-parse.js';
import type { FileChange, StackCompose } from './types.js';

/**
 * Everything the review reads from git, through argv (never a shell) with a fixed environment.
 * Refs come from the command line, so they are checked and passed after --end-of-options:
 * a ref like `--output=/etc/x` must never become an option.
 */
export interface GitRepo {
  sys: Sys;
  /** The working directory of the repository. */
  dir: string;
}

const COMPOSE_NAMES = ['compose.yaml', 'docker-compose.yaml', 'docker-compose.yml', 'compose.yml'];
const GIT_TIMEOUT_MS = 60_000;
const DIFF_MAX_BYTES = 32 * 1024 * 1024;
const FILE_MAX_BYTES = 1024 * 1024;

export async function git(repo: GitRepo, args: string[], maxBytes = DIFF_MAX_BYTES): Promise<string> {
  const env: Record<string, string> = { LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' };
  // PATH finds git; HOME carries the user's safe.directory settings (CI checkouts need them).
  for (const key of ['PATH', 'HOME', 'XDG_CONFIG_HOME', 'GIT_CONFIG_GLOBAL']) {
    const v = repo.sys.env[key];
    if (v !== undefined) env[key] = v;
  }
  const argv = ['git', '-c', 'core.quotepath=off', '-c', 'color.ui=never', ...args];
  const r = await runArgv(repo.sys, argv, { cwd: repo.dir, env, timeoutMs: GIT_TIMEOUT_MS, killGraceMs: 1000, maxOutputBytes: maxBytes });
  if (r.spawnError) throw new AppError('E_BAD_REQUEST', `cannot run git in ${repo.dir}: ${r.spawnError}`);
  if (r.timedOut) throw new AppError('E_BAD_REQUEST', `git ${args[0] ?? ''} timed out in ${repo.dir}`);
  if (r.exitCode !== 0) {
    const why = r.stderr.trim().split('\n')[0] ?? '';
    throw new AppError('E_BAD_REQUEST', `git ${args[0] ?? ''} failed in ${repo.dir}: ${why || `exit ${String(r.exitCode)}`}`);
  }
  if (r.stdoutTruncated) throw new AppError('E_BAD_REQUEST', `git ${args[0] ?? ''} output is over ${maxBytes} bytes; the change is too large to review`);
  return r.stdout;
}

/** A ref or commit id → the full commit id; an unknown or option-like ref is E_BAD_REQUEST. */
export async function resolveCommit(repo: GitRepo, ref: string): Promise<string> {
  if (ref === '' || ref.startsWith('-') || /[\0\n]/.test(ref) || ref.length > 256) {
    throw new AppError('E_BAD_REQUEST', `not a usable git ref: ${JSON.stringify(ref.slice(0, 64))}`);
  }
  try {
    return (await git(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])).trim();
  } catch {
    throw new AppError('E_BAD_REQUEST', `git ref ${JSON.stringify(ref)} does not name a commit in ${repo.dir}`);
  }
}

/** The commit a PR branched from; with unrelated histories, the base itself. */
export async function findMergeBase(repo: GitRepo, base: string, head: string): Promise<string> {
  try {
    return (await git(repo, ['merge-base', base, head])).trim() || base;
  } catch {
    return base;
  }
}

/** A file's text at a commit, or null when it does not exist there. */
export async function readFileAt(repo: GitRepo, commit: string, path: string): Promise<string | null> {
  try {
    return await git(repo, ['cat-file', 'blob', `${commit}:${path}`], FILE_MAX_BYTES);
  } catch {
    return null;
  }
}

export async function listTree(repo: GitRepo, commit: string): Promise<string[]> {
  return (await git(repo, ['ls-tree', '-r', '--name-only', '-z', commit])).split('\0').filter((p) => p !== '');
}

export interface RepoChange {
  base: string;
  head: string;
  /** What the diff is taken from (the merge base of base and head). */
  from: string;
  files: FileChange[];
  headPaths: string[];
  /** The whole patch (for the reviewer model, after redaction). */
  patch: string;
}

/** Changed files with their added lines, between the merge base of `base` and `head`. */
export async function readRepoChange(repo: GitRepo, baseRef: string, headRef: string): Promise<RepoChange> {
  const base = await resolveCommit(repo, baseRef);
  const head = await resolveCommit(repo, headRef);
  const from = await findMergeBase(repo, base, head);
  const diffArgs = ['--no-ext-diff', '--no-textconv', '-M', from, head];
  const names = parseNameStatusZ(await git(repo, ['diff', '--name-status', '-z', ...diffArgs]));
  const patch = await git(repo, ['diff', '--unified=3', ...diffArgs]);
  const byPath = parseUnifiedDiff(patch);
  const files = names.map((n): FileChange => {
    const p = byPath.get(n.path);
    return { ...n, added: p?.added ?? [], binary: p?.binary ?? false };
  });
  return { base, head, from, files, headPaths: await listTree(repo, head), patch };
}

/** `<stacksDir>/<stack>/<compose file>` → the stack name, for the file Dockge would use. */
export function composeStackOf(path: string, stacksDir: string): string | null {
  const prefix = `${stacksDir.replace(/\/+$/, '')}/`;
  if (!path.startsWith(prefix)) return null;
  const parts = path.slice(prefix.length).split('/');
  return parts.length === 2 && COMPOSE_NAMES.includes(parts[1] ?? '') ? (parts[0] ?? null) : null;
}

/** The compose files of every stack a change touches, parsed on both sides. */
export async function readChangedComposes(repo: GitRepo, change: RepoChange, stacksDir: string): Promise<StackCompose[]> {
  const out: StackCompose[] = [];
  for (const f of change.files) {
    const stack = composeStackOf(f.path, stacksDir);
    if (stack === null) continue;
    const basePath = f.oldPath ?? f.path;
    const headText = f.status === 'deleted' ? null : await readFileAt(repo, change.head, f.path);
    const baseText = f.status === 'added' || f.status === 'copied' ? null : await readFileAt(repo, change.from, basePath);
    out.push({
      stack,
      path: f.path,
      head: headText === null ? null : parseComposeFacts(headText),
      base: baseText === null ? null : parseComposeFacts(baseText),
    });
  }
  return out;
}

/** Every compose file at `commit` (one per stack, in Dockge's order of preference). */
export function listComposePaths(paths: readonly string[], stacksDir: string): string[] {
  const byStack = new Map<string, string>();
  const rank = (p: string) => COMPOSE_NAMES.indexOf(p.slice(p.lastIndexOf('/') + 1));
  for (const p of paths) {
    const stack = composeStackOf(p, stacksDir);
    if (stack === null) continue;
    const prior = byStack.get(stack);
    if (prior === undefined || rank(p) < rank(prior)) byStack.set(stack, p);
  }
  return [...byStack.values()].sort();
}
