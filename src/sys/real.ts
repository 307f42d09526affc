import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { Sys } from './sys.js';

export function createRealSys(env: Readonly<Record<string, string | undefined>>): Sys {
  return {
    spawn,
    fs: fsp,
    fetch: globalThis.fetch.bind(globalThis),
    now: () => Date.now(),
    monotonic: () => performance.now(),
    newId: () => randomUUID(),
    env,
  };
}
