import { dirname, join, resolve } from 'node:path';
import { listScaffoldFiles } from '../scaffold/scaffold-files.js';
import type { Sys } from '../sys/sys.js';

/**
 * `oresi init [dir]`: writes a GitOps repository skeleton. Existing files are never replaced
 * unless `force` is set: a refusal names every file in the way and writes nothing at all, so a
 * half-written scaffold can't mix with someone's repository.
 */
export interface InitOptions {
  fs: Sys['fs'];
  dir: string;
  force?: boolean;
  version: string;
}

export type InitOutcome =
  | { ok: true; dir: string; written: string[]; overwritten: string[] }
  | { ok: false; dir: string; existing: string[] };

export async function scaffoldRepository(opts: InitOptions): Promise<InitOutcome> {
  const dir = resolve(opts.dir);
  const files = listScaffoldFiles(opts.version);
  const existing: string[] = [];
  for (const f of files) if (await exists(opts.fs, join(dir, f.path))) existing.push(f.path);
  if (existing.length > 0 && !opts.force) return { ok: false, dir, existing };
  for (const f of files) {
    const target = join(dir, f.path);
    await opts.fs.mkdir(dirname(target), { recursive: true });
    // Replace, never write through: an existing symlink must not redirect the write elsewhere.
    if (existing.includes(f.path)) await opts.fs.rm(target, { force: true });
    await opts.fs.writeFile(target, f.content, { encoding: 'utf8', flag: 'wx' });
  }
  return { ok: true, dir, written: files.map((f) => f.path), overwritten: existing };
}

async function exists(fs: Sys['fs'], path: string): Promise<boolean> {
  try {
    await fs.lstat(path);
    return true;
  } catch {
    return false;
  }
}
