import { BRANCH_PATTERN } from '../intent/names.js';
import type { Sys } from '../sys/sys.js';
import { runArgv } from './run-argv.js';
import type { ArgvResult } from './types.js';

export interface PullRequest {
  sys: Sys;
  /** The stacks repository's work tree. */
  dir: string;
  /** The branch that must be checked out; omitted: whatever is checked out (`oresi rollout --sync`). */
  branch?: string;
  /** The pushed commit: after the pull it must be HEAD or an ancestor of HEAD. */
  expectCommit?: string;
  timeoutMs: number;
  /**
   * Called around every git process: a rejection from `beforeSpawn` stops the pull before that
   * process starts (callers write their audit record there).
   */
  hooks?: {
    beforeSpawn(argv: string[], description: string): Promise<void>;
    afterSpawn(argv: string[], result: ArgvResult): Promise<void>;
  };
}

export type PullResult =
  | { ok: true; before: string; after: string; changed: boolean }
  | { ok: false; reason: string };

const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const ENV_PASSTHROUGH = ['PATH', 'HOME', 'SSH_AUTH_SOCK', 'GIT_SSH_COMMAND', 'XDG_CONFIG_HOME'];

/**
 * Fast-forwards the stacks work tree to origin/<branch> with `git pull --ff-only`, argv only.
 * Refuses, changing nothing, when the tree has uncommitted changes to tracked files (someone
 * edited on the server), another branch is checked out, or the histories diverged: those need a
 * person, not an automatic merge. Untracked files (Dockge's .env) do not count as dirty; git
 * itself refuses a pull that would overwrite one.
 */
export async function pullFastForward(req: PullRequest): Promise<PullResult> {
  if (req.branch !== undefined && !BRANCH_PATTERN.test(req.branch)) return { ok: false, reason: `"${req.branch.slice(0, 80)}" is not an acceptable branch name` };
  if (req.expectCommit !== undefined && !COMMIT.test(req.expectCommit)) return { ok: false, reason: 'the expected commit is not a hex object id' };
  const git = makeGit(req);

  const top = await git(['rev-parse', '--show-toplevel'], `check that ${req.dir} is a git work tree`);
  if (!top.ok) return { ok: false, reason: `${req.dir} is not a git work tree: ${top.error}` };
  const head = await git(['symbolic-ref', '--quiet', '--short', 'HEAD'], 'find the checked-out branch');
  if (!head.ok) return { ok: false, reason: `${req.dir} has no branch checked out (detached HEAD)` };
  const branch = req.branch ?? head.out.trim();
  if (head.out.trim() !== branch) return { ok: false, reason: `${req.dir} has branch ${head.out.trim()} checked out, not ${branch}` };
  if (!BRANCH_PATTERN.test(branch)) return { ok: false, reason: `the checked-out branch "${branch.slice(0, 80)}" is not an acceptable branch name` };
  const status = await git(['status', '--porcelain', '--untracked-files=no'], `check ${req.dir} for local changes`);
  if (!status.ok) return { ok: false, reason: `git status failed: ${status.error}` };
  const dirty = status.out.split('\n').filter((l) => l.trim() !== '');
  if (dirty.length > 0) {
    const files = dirty.slice(0, 5).map((l) => l.slice(3)).join(', ');
    return { ok: false, reason: `${req.dir} has uncommitted changes (${files}${dirty.length > 5 ? ', …' : ''}); commit or discard them first` };
  }
  const before = await git(['rev-parse', 'HEAD'], 'read the current commit');
  if (!before.ok) return { ok: false, reason: `git rev-parse HEAD failed: ${before.error}` };

  const pulled = await git(['pull', '--ff-only', '--no-rebase', '--quiet', 'origin', branch], `fast-forward ${req.dir} to origin/${branch}`);
  if (!pulled.ok) return { ok: false, reason: `git pull --ff-only origin ${branch} refused: ${pulled.error}` };
  const after = await git(['rev-parse', 'HEAD'], 'read the new commit');
  if (!after.ok) return { ok: false, reason: `git rev-parse HEAD failed: ${after.error}` };
  const b = before.out.trim();
  const a = after.out.trim();
  if (req.expectCommit !== undefined) {
    const contains = await git(['merge-base', '--is-ancestor', req.expectCommit, 'HEAD'], 'check that the pushed commit arrived');
    if (!contains.ok) return { ok: false, reason: `after the pull HEAD is ${a.slice(0, 12)}, which does not contain the pushed commit ${req.expectCommit.slice(0, 12)} (does origin point at the pushed repository?)` };
  }
  return { ok: true, before: b, after: a, changed: a !== b };
}

type GitResult = { ok: true; out: string } | { ok: false; error: string };

function makeGit(req: PullRequest) {
  // No prompts (a missing credential fails instead of hanging), stable English messages.
  const env: Record<string, string> = { LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' };
  for (const k of ENV_PASSTHROUGH) {
    const v = req.sys.env[k];
    if (v !== undefined) env[k] = v;
  }
  return async (args: string[], description: string): Promise<GitResult> => {
    const argv = ['git', ...args];
    await req.hooks?.beforeSpawn(argv, description);
    const r = await runArgv(req.sys, argv, { cwd: req.dir, env, timeoutMs: req.timeoutMs, killGraceMs: 1_000, maxOutputBytes: 65_536 });
    await req.hooks?.afterSpawn(argv, r);
    if (r.spawnError) return { ok: false, error: r.spawnError };
    if (r.timedOut) return { ok: false, error: `timed out after ${req.timeoutMs} ms` };
    if (r.exitCode !== 0) return { ok: false, error: firstLines(r.stderr) || `exit code ${r.exitCode}` };
    return { ok: true, out: r.stdout };
  };
}

function firstLines(s: string): string {
  return s.split('\n').map((l) => l.trim()).filter((l) => l !== '').slice(0, 2).join(' ').slice(0, 300);
}
