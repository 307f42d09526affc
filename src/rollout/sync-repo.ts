import type { ArgvResult } from '../exec/types.js';
import { isCleanExit, type SpawnDeps, spawnHooked } from './spawn.js';
import type { CommandLimits } from './types.js';

export interface SyncStacksRepoArgs extends SpawnDeps {
  /** The stacks repository (usually the stacks root). */
  dir: string;
  limits?: CommandLimits;
}

export interface GitCall {
  argv: string[];
  result: ArgvResult;
}

export type SyncResult =
  | { ok: true; before: string; after: string; changed: boolean; calls: GitCall[] }
  | { ok: false; reason: string; calls: GitCall[] };

const GIT_TIMEOUT_MS = 120_000;

/**
 * Brings the stacks repository up to its upstream by fast-forward only. A tree with changes to
 * tracked files is refused (a pull could mix them with upstream's), and so is a branch that has
 * diverged: both need a person. Untracked files (data folders, generated .env) do not count.
 */
export async function syncStacksRepo(args: SyncStacksRepoArgs): Promise<SyncResult> {
  const calls: GitCall[] = [];
  // No prompt can ever block a run waiting for a password; messages in English for the reasons.
  const deps: SpawnDeps = { ...args, env: { ...args.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } };
  const git = async (gitArgs: string[], description: string): Promise<ArgvResult> => {
    const argv = ['git', ...gitArgs];
    const result = await spawnHooked(deps, args.dir, { commandTimeoutMs: GIT_TIMEOUT_MS, ...args.limits }, argv, description);
    calls.push({ argv, result });
    return result;
  };
  const fail = (reason: string): SyncResult => ({ ok: false, reason, calls });

  const status = await git(['status', '--porcelain=v1', '--untracked-files=no'], `check ${args.dir} for local changes`);
  if (!isCleanExit(status)) return fail(`git status failed in ${args.dir}: ${lastLine(status)}`);
  const dirty = status.stdout.split('\n').filter((l) => l.trim() !== '');
  if (dirty.length > 0) {
    const files = dirty.slice(0, 5).map((l) => l.slice(3)).join(', ');
    return fail(`refusing to pull: ${dirty.length} tracked file(s) changed locally in ${args.dir} (${files}${dirty.length > 5 ? ', …' : ''})`);
  }
  const before = await git(['rev-parse', 'HEAD'], 'read the current commit');
  if (!isCleanExit(before)) return fail(`git rev-parse failed: ${lastLine(before)}`);

  const pull = await git(['pull', '--ff-only', '--no-rebase'], `fast-forward ${args.dir} to its upstream`);
  if (!isCleanExit(pull)) {
    const counts = await git(['rev-list', '--left-right', '--count', 'HEAD...@{upstream}'], 'compare with the upstream');
    const m = /^(\d+)\s+(\d+)/.exec(counts.stdout.trim());
    if (isCleanExit(counts) && m && Number(m[1]) > 0 && Number(m[2]) > 0) {
      return fail(`refusing to pull: the branch has diverged from its upstream (${m[1]} local, ${m[2]} upstream commits)`);
    }
    return fail(`git pull --ff-only failed: ${lastLine(pull)}`);
  }
  const after = await git(['rev-parse', 'HEAD'], 'read the new commit');
  if (!isCleanExit(after)) return fail(`git rev-parse failed: ${lastLine(after)}`);
  const b = before.stdout.trim();
  const a = after.stdout.trim();
  return { ok: true, before: b, after: a, changed: a !== b, calls };
}

function lastLine(r: ArgvResult): string {
  if (r.spawnError !== undefined) return r.spawnError;
  const text = (r.stderr.trim() || r.stdout.trim()).split('\n').pop() ?? '';
  return text.slice(0, 300) || `exit ${r.exitCode ?? r.signal ?? '?'}`;
}
