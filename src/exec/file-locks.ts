import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { toStorageError } from '../storage-fault.js';
import type { LockResult, StackLocks } from './types.js';

interface LockFile {
  pid: number;
  holder: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): LockFile | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockFile>;
    return typeof parsed.pid === 'number' && typeof parsed.holder === 'string' ? { pid: parsed.pid, holder: parsed.holder } : null;
  } catch {
    return null;
  }
}

/**
 * Holders of the locks in `dir` whose process is alive: the runs executing right now in some
 * oresi process on this host (the server, a CLI run). Recovery must not call those interrupted.
 */
export function liveLockHolders(dir: string): Set<string> {
  const holders = new Set<string>();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return holders;
  }
  for (const name of names) {
    if (!name.endsWith('.lock')) continue;
    const lock = readLock(join(dir, name));
    if (lock && isAlive(lock.pid)) holders.add(lock.holder);
  }
  return holders;
}

/**
 * Stack locks shared by every oresi process on the host (the server, a CLI `oresi run`, a
 * cron job): one file per stack, created with O_EXCL. A lock whose process is gone (a crash,
 * kill -9) is taken over. The in-process map still answers first, so one process never
 * races itself between the file check and the write.
 */
export function createFileStackLocks(dir: string, pid = process.pid): StackLocks {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const mine = new Map<string, { holder: string; token: symbol }>();
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
      writeSync(fd, JSON.stringify({ pid, holder }));
    } catch (err) {
      // An empty lock file would read as a crash mid-write; this one was never held.
      try { unlinkSync(pathOf(stack)); } catch { /* already gone */ }
      throw toStorageError(`the lock of stack ${stack}`, err);
    } finally {
      closeSync(fd);
    }
    return true;
  }

  return {
    tryAcquire(stack, holder): LockResult {
      const current = mine.get(stack);
      if (current) return { acquired: false, holder: current.holder };
      if (!tryCreate(stack, holder)) {
        const other = readLock(pathOf(stack));
        if (other && other.pid !== pid && isAlive(other.pid)) return { acquired: false, holder: other.holder };
        // Stale (its process died) or unreadable (a crash mid-write): take it over once.
        try { unlinkSync(pathOf(stack)); } catch { /* someone else removed it */ }
        if (!tryCreate(stack, holder)) return { acquired: false, holder: readLock(pathOf(stack))?.holder ?? 'another process' };
      }
      const token = Symbol(holder);
      mine.set(stack, { holder, token });
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
  };
}
