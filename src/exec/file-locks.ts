import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { toStorageError } from '../storage-fault.js';
import { isGroupAlive, isSameProcessAlive, processStartTime, type ChildRef } from './process-group.js';
import type { LockResult, StackLocks } from './types.js';

/** What a lock file says: the oresi process that holds it, the run, and the children it spawned. */
export interface LockFile {
  pid: number;
  /** The owner's start time, so a reused pid (after a reboot) is not taken for the owner. */
  pidStart?: string | null;
  holder: string;
  children?: ChildRef[];
}

export function readLock(path: string): LockFile | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockFile>;
    if (typeof parsed.pid !== 'number' || typeof parsed.holder !== 'string') return null;
    return { pid: parsed.pid, pidStart: parsed.pidStart ?? null, holder: parsed.holder, children: Array.isArray(parsed.children) ? parsed.children : [] };
  } catch {
    return null;
  }
}

/** Replaces a lock file's content atomically (write beside it, then rename over it). */
export function rewriteLock(path: string, lock: LockFile): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(lock), { mode: 0o600 });
    renameSync(tmp, path);
  } catch (err) {
    try { unlinkSync(tmp); } catch { /* never written */ }
    throw toStorageError(`the lock ${path}`, err);
  }
}

export function isOwnerAlive(lock: LockFile): boolean {
  return isSameProcessAlive(lock.pid, lock.pidStart);
}

/** The recorded children whose process group still has live members: work of this lock's run. */
export function liveChildren(lock: LockFile): ChildRef[] {
  return (lock.children ?? []).filter(isGroupAlive);
}

/** Lock files in `dir` with their stack names; unreadable ones are skipped. */
export function listLocks(dir: string): Array<{ stack: string; path: string; lock: LockFile }> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => n.endsWith('.lock')).flatMap((name) => {
    const path = join(dir, name);
    const lock = readLock(path);
    return lock ? [{ stack: name.slice(0, -'.lock'.length), path, lock }] : [];
  });
}

/**
 * Holders of the locks in `dir` whose process is alive: the runs executing right now in some
 * oresi process on this host (the server, a CLI run). Recovery must not call those interrupted.
 */
export function liveLockHolders(dir: string): Set<string> {
  return new Set(listLocks(dir).filter(({ lock }) => isOwnerAlive(lock)).map(({ lock }) => lock.holder));
}

/**
 * Stack locks shared by every oresi process on the host (the server, a CLI `oresi run`, a
 * cron job): one file per stack, created with O_EXCL. The file also lists the process groups
 * the run spawned. A lock is free only when its owner is gone AND none of those groups has a
 * live member: a child that outlived a crashed server still works on the stack. The in-process
 * map answers first, so one process never races itself between the file check and the write.
 */
export function createFileStackLocks(dir: string, pid = process.pid): StackLocks {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pidStart = processStartTime(pid);
  const mine = new Map<string, { holder: string; token: symbol; children: ChildRef[] }>();
  const pathOf = (stack: string) => join(dir, `${stack}.lock`);

  function tryCreate(stack: string, holder: string): boolean {
    let fd: number;
    try {
      fd = openSync(pathOf(stack), 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw toStorageError(`the lock of stack ${stack}`, err);
    }
    try {
      writeSync(fd, JSON.stringify({ pid, pidStart, holder, children: [] } satisfies LockFile));
    } catch (err) {
      // An empty lock file would read as a crash mid-write; this one was never held.
      try { unlinkSync(pathOf(stack)); } catch { /* already gone */ }
      throw toStorageError(`the lock of stack ${stack}`, err);
    } finally {
      closeSync(fd);
    }
    return true;
  }

  /** Held by someone else: a live owner that is not us, or live children of any owner. */
  function heldByOther(lock: LockFile): boolean {
    return (lock.pid !== pid && isOwnerAlive(lock)) || liveChildren(lock).length > 0;
  }

  function writeMine(holder: string): void {
    for (const [stack, entry] of mine) {
      if (entry.holder === holder) rewriteLock(pathOf(stack), { pid, pidStart, holder, children: entry.children });
    }
  }

  return {
    tryAcquire(stack, holder): LockResult {
      const current = mine.get(stack);
      if (current) return { acquired: false, holder: current.holder };
      if (!tryCreate(stack, holder)) {
        const other = readLock(pathOf(stack));
        if (other && heldByOther(other)) return { acquired: false, holder: other.holder };
        // Stale (its process and children died) or unreadable (a crash mid-write): take it over once.
        try { unlinkSync(pathOf(stack)); } catch { /* someone else removed it */ }
        if (!tryCreate(stack, holder)) return { acquired: false, holder: readLock(pathOf(stack))?.holder ?? 'another process' };
      }
      const token = Symbol(holder);
      mine.set(stack, { holder, token, children: [] });
      return {
        acquired: true,
        release: () => {
          if (mine.get(stack)?.token !== token) return;
          mine.delete(stack);
          try { unlinkSync(pathOf(stack)); } catch { /* already gone */ }
        },
      };
    },
    holder(stack) {
      return mine.get(stack)?.holder ?? readLock(pathOf(stack))?.holder;
    },
    track(holder, child) {
      const entries = [...mine.values()].filter((e) => e.holder === holder);
      for (const e of entries) e.children.push(child);
      writeMine(holder);
      return () => {
        for (const e of entries) e.children = e.children.filter((c) => c.pid !== child.pid);
        try { writeMine(holder); } catch { /* a stale entry is harmless: its group is gone */ }
      };
    },
  };
}
