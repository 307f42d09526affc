import { readdirSync, readFileSync } from 'node:fs';

/** A spawned child as a lock file records it: enough to find its process group again after a crash. */
export interface ChildRef {
  pid: number;
  /** Our children lead their own group (detached spawn), so this equals pid. */
  pgid: number;
  /** /proc/<pid>/stat field 22 (clock ticks since boot); null where /proc is absent. */
  startTime: string | null;
  argv: string[];
}

interface ProcStat { state: string; pgrp: number; startTime: string }

function readStat(pid: number | string): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm (field 2) may hold spaces and parentheses: the fields after the last ')' are fixed.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const [state, , pgrp] = rest;
    const startTime = rest[19];
    if (state === undefined || pgrp === undefined || startTime === undefined) return null;
    return { state, pgrp: Number(pgrp), startTime };
  } catch {
    return null;
  }
}

/** Field 22 of /proc/<pid>/stat, so a recorded pid can be told from a reused one. */
export function processStartTime(pid: number): string | null {
  return readStat(pid)?.startTime ?? null;
}

const hasProc = (() => {
  try {
    readdirSync('/proc/self');
    return true;
  } catch {
    return false;
  }
})();

function signalZero(target: number): boolean {
  try {
    process.kill(target, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Alive and the same process that was recorded (not a reused pid). Zombies count as dead. */
export function isSameProcessAlive(pid: number, startTime: string | null | undefined): boolean {
  if (!hasProc) return signalZero(pid);
  const stat = readStat(pid);
  if (!stat || stat.state === 'Z' || stat.state === 'X') return false;
  return startTime == null || stat.startTime === startTime;
}

/**
 * Whether any live member of the recorded group remains. Linux never hands out a pid that is
 * still some group's id, so while members remain the group is ours; if its leader is alive
 * with another start time, the id was reused after our group ended.
 */
export function isGroupAlive(ref: ChildRef): boolean {
  if (!hasProc) return signalZero(-ref.pgid);
  const leader = readStat(ref.pgid);
  if (leader && ref.startTime !== null && leader.startTime !== ref.startTime) return false;
  if (leader && leader.state !== 'Z' && leader.state !== 'X') return true;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(name);
    if (stat && stat.pgrp === ref.pgid && stat.state !== 'Z' && stat.state !== 'X') return true;
  }
  return false;
}

/** Signals a whole group; a group already gone is what the caller wanted. */
export function signalGroup(pgid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pgid, sig);
  } catch {
    // ESRCH
  }
}
