import type { spawn as nodeSpawn } from 'node:child_process';
import type * as fsp from 'node:fs/promises';

/**
 * Every side effect an effect module needs, passed in rather than reached for, so tests can
 * pin the clock or count spawns while still running real processes, files and sockets.
 */
export interface Sys {
  /** node:child_process.spawn; callers must pass an argv array and `shell: false`. */
  spawn: typeof nodeSpawn;
  fs: typeof fsp;
  fetch: typeof fetch;
  /** Wall clock, milliseconds since the epoch. */
  now(): number;
  /** Monotonic clock in milliseconds, for durations and timeouts. */
  monotonic(): number;
  /** A new random identifier (UUID v4 unless stated otherwise). */
  newId(): string;
  /** The process environment as read once at start-up (main.ts is the only reader of process.env). */
  env: Readonly<Record<string, string | undefined>>;
}
