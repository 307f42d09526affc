import { relative, sep } from 'node:path';
import { runArgv } from '../exec/run-argv.js';
import type { Sys } from '../sys/sys.js';

const GIT_TIMEOUT_MS = 10_000;
const MAX_OUTPUT = 4 * 1024 * 1024;

export type GitChanges =
  | { repo: false }
  | { repo: true; byStack: Record<string, string[]> }
  | { repo: true; error: string };

/**
 * What differs from HEAD under the stacks root, grouped by stack folder: two git calls for all
 * stacks. Paths are relative to the stacks root. Ignored files are not changes.
 */
export async function readGitChanges(sys: Sys, root: string, env: Record<string, string>): Promise<GitChanges> {
  // Status must not take the index lock: a probe may run while an operator commits.
  const gitEnv = { ...env, GIT_OPTIONAL_LOCKS: '0' };
  const run = (args: string[]) =>
    runArgv(sys, ['git', ...args], { cwd: root, env: gitEnv, timeoutMs: GIT_TIMEOUT_MS, killGraceMs: 500, maxOutputBytes: MAX_OUTPUT });
  const top = await run(['rev-parse', '--show-toplevel']);
  if (top.spawnError !== undefined || top.exitCode !== 0) return { repo: false };
  const status = await run(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', '.']);
  if (status.exitCode !== 0 || status.stdoutTruncated) {
    return { repo: true, error: `git status failed: ${status.stderr.trim() || `exit ${status.exitCode}`}` };
  }
  const realRoot = await sys.fs.realpath(root);
  const prefix = relative(top.stdout.trim(), realRoot);
  return { repo: true, byStack: groupByStack(parsePorcelainZ(status.stdout), prefix) };
}

/** `XY path\0` entries; a rename or copy is followed by its source path, which is skipped. */
export function parsePorcelainZ(out: string): string[] {
  const fields = out.split('\0');
  const paths: string[] = [];
  for (let i = 0; i < fields.length; i += 1) {
    const f = fields[i] ?? '';
    if (f.length < 4) continue;
    paths.push(f.slice(3));
    if (f[0] === 'R' || f[0] === 'C') i += 1;
  }
  return paths;
}

/** `prefix` is the stacks root relative to the repository top ('' when they are the same). */
export function groupByStack(paths: readonly string[], prefix: string): Record<string, string[]> {
  const base = prefix === '' ? '' : prefix.split(sep).join('/') + '/';
  const out: Record<string, string[]> = {};
  for (const p of paths) {
    if (!p.startsWith(base)) continue;
    const inRoot = p.slice(base.length);
    const slash = inRoot.indexOf('/');
    // Files at the root itself (global.env) belong to no single stack.
    if (slash <= 0) continue;
    const stack = inRoot.slice(0, slash);
    (out[stack] ??= []).push(inRoot);
  }
  return out;
}
