import type { ChildProcess } from 'node:child_process';
import type { Sys } from '../sys/sys.js';
import { processStartTime, signalGroup, type ChildRef } from './process-group.js';

/**
 * A Sys whose spawn reports every started child (its own process group) to `track` before the
 * caller sees it, and calls the returned undo once the child's pipes close (runArgv has then
 * ended the group). If the record cannot be written the group is killed at once: a process
 * nobody could find again after a crash must not work on a stack.
 */
export function trackSpawns(sys: Sys, track: (child: ChildRef) => () => void): Sys {
  const spawn = ((command: string, args: readonly string[], options: object) => {
    const child: ChildProcess = sys.spawn(command, args, options);
    const pid = child.pid;
    if (pid === undefined) return child;
    try {
      const untrack = track({ pid, pgid: pid, startTime: processStartTime(pid), argv: [command, ...args] });
      child.once('close', untrack);
    } catch {
      signalGroup(pid, 'SIGKILL');
    }
    return child;
  }) as Sys['spawn'];
  return { ...sys, spawn };
}
