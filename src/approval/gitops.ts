import { createHash } from 'node:crypto';
import { isAbsolute, relative, sep } from 'node:path';
import { runArgv } from '../exec/run-argv.js';
import { BRANCH_PATTERN } from '../intent/names.js';
import { parseYamlDocuments } from '../intent/yaml-source.js';
import type { Sys } from '../sys/sys.js';

/**
 * The GitOps gate: an intent may run only if the bytes oresi loaded are exactly what the
 * branch tip holds. A file edited on the server, committed but not pushed, or pushed to a
 * side branch is refused. Real `git`, argv only, no shell.
 */

export interface IntentOnBranchRequest {
  sys: Sys;
  /** Any folder inside the work tree; the repository root is asked from git. */
  repoDir: string;
  branch: string;
  /** Run `git fetch origin <branch>` first, so the check is against the remote as it is now. */
  fetchFirst: boolean;
  /** Absolute path of the intent file as loaded. */
  intentFile: string;
  /** The intent's source text as loaded (LoadedIntent.source: the whole file, or its document). */
  intentSource: string;
  /** Per git command; fetch over a network can be slow. */
  timeoutMs?: number;
}

export type IntentOnBranchResult = { ok: true; commit: string } | { ok: false; reason: string };

/** git's own ref rules, narrowed: no leading dash (an option), no `..`, no `@{`, no control chars. */
const MAX_BLOB_BYTES = 1_048_576;
const ENV_PASSTHROUGH = ['PATH', 'HOME', 'SSH_AUTH_SOCK', 'GIT_SSH_COMMAND', 'XDG_CONFIG_HOME'];

export async function checkIntentOnBranch(req: IntentOnBranchRequest): Promise<IntentOnBranchResult> {
  if (!BRANCH_PATTERN.test(req.branch)) return { ok: false, reason: `"${req.branch.slice(0, 80)}" is not an acceptable branch name` };
  if (!isAbsolute(req.intentFile)) return { ok: false, reason: `intent file ${req.intentFile} is not an absolute path` };
  const git = makeGit(req);

  const top = await git(['rev-parse', '--show-toplevel'], req.repoDir);
  if (!top.ok) return { ok: false, reason: `${req.repoDir} is not a git work tree: ${top.error}` };
  const root = top.out.trim();
  let realFile: string;
  try {
    realFile = await req.sys.fs.realpath(req.intentFile);
  } catch (err) {
    return { ok: false, reason: `cannot resolve ${req.intentFile}: ${(err as Error).message}` };
  }
  const rel = relative(root, realFile);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return { ok: false, reason: `${req.intentFile} is not inside the git repository at ${root}` };
  const path = rel.split(sep).join('/');

  const remotes = await git(['remote'], root);
  if (!remotes.ok) return { ok: false, reason: `git remote failed: ${remotes.error}` };
  const hasOrigin = remotes.out.split('\n').some((l) => l.trim() === 'origin');
  if (req.fetchFirst) {
    if (!hasOrigin) return { ok: false, reason: `fetchFirst is set but the repository at ${root} has no remote "origin"` };
    const fetched = await git(['fetch', '--quiet', '--no-tags', 'origin', `+refs/heads/${req.branch}:refs/remotes/origin/${req.branch}`], root);
    if (!fetched.ok) return { ok: false, reason: `git fetch origin ${req.branch} failed: ${fetched.error}` };
  }
  // Fully qualified, so a tag or local branch called "origin/main" cannot stand in for it.
  const ref = hasOrigin ? `refs/remotes/origin/${req.branch}` : `refs/heads/${req.branch}`;
  const shown = hasOrigin ? `origin/${req.branch}` : req.branch;
  const tip = await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], root);
  if (!tip.ok) return { ok: false, reason: `branch ${shown} was not found in ${root}` };
  const commit = tip.out.trim();
  const short = commit.slice(0, 12);

  const blob = await git(['rev-parse', '--verify', '--quiet', `${commit}:${path}`], root);
  if (!blob.ok) return { ok: false, reason: `${path} is not on ${shown} at ${short}; commit and merge it first` };
  const blobId = blob.out.trim();
  const source = Buffer.from(req.intentSource, 'utf8');
  // Hash exactly as git does: identical object ids mean identical bytes, with no output decoding in between.
  if (hashBlob(source, blobId.length) === blobId) return { ok: true, commit };

  // A file with several intents: LoadedIntent.source is one document; match it against the tip's documents.
  const content = await git(['cat-file', 'blob', blobId], root, MAX_BLOB_BYTES);
  if (content.ok && !content.truncated) {
    const docs = parseYamlDocuments(content.out, path);
    if (docs.ok && docs.value.length > 1 && docs.value.some((d) => d.source === req.intentSource)) return { ok: true, commit };
  }
  return { ok: false, reason: `${path} differs from ${shown} at ${short}; commit and merge it first` };
}

/** SHA-1 (40 hex) or SHA-256 (64 hex) repositories, matching the id git printed. */
export function hashBlob(bytes: Buffer, idLength: number): string {
  const h = createHash(idLength === 64 ? 'sha256' : 'sha1');
  h.update(`blob ${bytes.length}\0`);
  h.update(bytes);
  return h.digest('hex');
}

type GitResult = { ok: true; out: string; truncated: boolean } | { ok: false; error: string };

function makeGit(req: IntentOnBranchRequest) {
  const env: Record<string, string> = { LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' };
  for (const k of ENV_PASSTHROUGH) {
    const v = req.sys.env[k];
    if (v !== undefined) env[k] = v;
  }
  const timeoutMs = req.timeoutMs ?? 30_000;
  return async (args: string[], cwd: string, maxOutputBytes = 65_536): Promise<GitResult> => {
    const r = await runArgv(req.sys, ['git', ...args], { cwd, env, timeoutMs, killGraceMs: 1_000, maxOutputBytes });
    if (r.spawnError) return { ok: false, error: r.spawnError };
    if (r.timedOut) return { ok: false, error: `timed out after ${timeoutMs} ms` };
    if (r.exitCode !== 0) return { ok: false, error: firstLine(r.stderr) || `exit code ${r.exitCode}` };
    return { ok: true, out: r.stdout, truncated: r.stdoutTruncated };
  };
}

function firstLine(s: string): string {
  return (s.split('\n').find((l) => l.trim() !== '') ?? '').trim().slice(0, 300);
}

export interface ContainsRequest {
  sys: Sys;
  repoDir: string;
  /** The commit that must be included (a PR's head). */
  sha: string;
  /** What would be deployed: a commit id, or HEAD. */
  commit: string;
  timeoutMs?: number;
}

/**
 * Whether `commit` contains `sha` (equal, or `sha` is an ancestor): the PR head that was
 * approved is what gets deployed. A sha git does not know is an answer too ("fetch first").
 */
export async function commitContains(req: ContainsRequest): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (!/^[0-9a-f]{7,64}$/.test(req.sha)) return { ok: false, reason: `"${req.sha.slice(0, 80)}" is not a commit id` };
  if (req.commit !== 'HEAD' && !/^[0-9a-f]{7,64}$/.test(req.commit)) return { ok: false, reason: `"${req.commit.slice(0, 80)}" is not a commit id` };
  const git = makeGit({ sys: req.sys, repoDir: req.repoDir, branch: 'main', fetchFirst: false, intentFile: '/', intentSource: '', ...(req.timeoutMs ? { timeoutMs: req.timeoutMs } : {}) });
  const known = await git(['cat-file', '-e', `${req.sha}^{commit}`], req.repoDir);
  if (!known.ok) return { ok: false, reason: `the PR head ${req.sha.slice(0, 12)} is not in the repository at ${req.repoDir} (not fetched or not merged)` };
  const r = await git(['merge-base', '--is-ancestor', req.sha, req.commit], req.repoDir);
  return r.ok ? { ok: true } : { ok: false, reason: `the PR head ${req.sha.slice(0, 12)} is not part of ${req.commit === 'HEAD' ? 'the checked-out commit' : req.commit.slice(0, 12)}, which is what would be deployed` };
}
