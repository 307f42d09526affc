import type { ChildProcess } from 'node:child_process';
import type { Sys } from '../sys/sys.js';
import { createOutputCapture } from './output-capture.js';
import { signalGroup as signalProcessGroup } from './process-group.js';
import type { ArgvResult, RunArgvOptions } from './types.js';

/**
 * After the direct child exits, how long a backgrounded grandchild may keep our pipes open
 * before we kill the group and stop waiting. Without this a `cmd &` would hang the run.
 */
export const PIPE_GRACE_MS = 2000;
/** After that kill, how long the pipes get to close before we stop reading them. */
const PIPE_CLOSE_AFTER_KILL_MS = 500;

/**
 * Runs one argv as its own process group, never through a shell. Every outcome — non-zero
 * exit, timeout, cancellation, a program that cannot start — is a resolved ArgvResult.
 */
export function runArgv(sys: Sys, argv: string[], opts: RunArgvOptions): Promise<ArgvResult> {
  const startedAt = sys.now();
  const t0 = sys.monotonic();
  const base = { argv: [...argv], startedAt };
  const early = (fields: Partial<ArgvResult>): Promise<ArgvResult> =>
    Promise.resolve({ ...emptyResult(base), durationMs: sys.monotonic() - t0, ...fields });

  const program = argv[0];
  if (program === undefined || program === '') return early({ spawnError: 'empty argv: no program to run' });
  if (opts.signal?.aborted) return early({ cancelled: true });

  let child: ChildProcess;
  try {
    child = sys.spawn(program, argv.slice(1), {
      cwd: opts.cwd,
      env: opts.env,
      shell: false,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    // Synchronous throws: invalid arguments (e.g. NUL bytes) or a missing cwd on some platforms.
    return early({ spawnError: describeError(err) });
  }
  return supervise(sys, child, opts, base, t0);
}

function supervise(
  sys: Sys,
  child: ChildProcess,
  opts: RunArgvOptions,
  base: { argv: string[]; startedAt: number },
  t0: number,
): Promise<ArgvResult> {
  return new Promise((resolve) => {
    const out = createOutputCapture(opts.maxOutputBytes);
    const err = createOutputCapture(opts.maxOutputBytes);
    const timers = new Set<NodeJS.Timeout>();
    let exitCode: number | null = null;
    let signal: string | null = null;
    let timedOut = false;
    let cancelled = false;
    let killing = false;
    let settled = false;

    const later = (ms: number, fn: () => void) => {
      const t = setTimeout(fn, Math.max(0, ms));
      timers.add(t);
    };
    // The whole group (negative pid), so grandchildren die with the child.
    const signalGroup = (sig: NodeJS.Signals) => {
      if (child.pid !== undefined) signalProcessGroup(child.pid, sig);
    };
    const stop = () => {
      if (killing) return;
      killing = true;
      signalGroup('SIGTERM');
      later(opts.killGraceMs, () => signalGroup('SIGKILL'));
    };
    const onAbort = () => {
      cancelled = true;
      stop();
    };
    const finish = (fields: Partial<ArgvResult> = {}) => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      opts.signal?.removeEventListener('abort', onAbort);
      const o = out.finish();
      const e = err.finish();
      resolve({
        ...base,
        exitCode,
        signal,
        stdout: o.text,
        stderr: e.text,
        stdoutTruncated: o.truncated,
        stderrTruncated: e.truncated,
        timedOut,
        cancelled,
        durationMs: sys.monotonic() - t0,
        ...fields,
      });
    };

    const forward = (stream: 'stdout' | 'stderr', text: string) => {
      if (text === '' || !opts.onOutput) return;
      try {
        opts.onOutput(stream, text);
      } catch {
        // An observer's bug must not break draining the pipe (the child would block).
      }
    };
    child.stdout?.on('data', (c: Buffer) => forward('stdout', out.push(c)));
    child.stderr?.on('data', (c: Buffer) => forward('stderr', err.push(c)));
    child.stdout?.on('error', () => {});
    child.stderr?.on('error', () => {});

    child.on('error', (e) => {
      // Without a pid the program never started (ENOENT, EACCES); otherwise it is a kill error.
      if (child.pid === undefined) finish({ spawnError: describeError(e) });
    });
    child.on('exit', (code, sig) => {
      exitCode = code;
      signal = sig;
      later(PIPE_GRACE_MS, () => {
        // Something still holds our pipes (a backgrounded grandchild): end it and stop waiting.
        // A holder that left the group (setsid) survives the kill; then we stop reading.
        signalGroup('SIGKILL');
        later(PIPE_CLOSE_AFTER_KILL_MS, () => {
          child.stdout?.destroy();
          child.stderr?.destroy();
          finish();
        });
      });
    });
    child.on('close', () => finish());

    later(opts.timeoutMs, () => {
      timedOut = true;
      stop();
    });
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.signal?.aborted) onAbort();
  });
}

function emptyResult(base: { argv: string[]; startedAt: number }): ArgvResult {
  return {
    ...base,
    exitCode: null,
    signal: null,
    stdout: '',
    stderr: '',
    stdoutTruncated: false,
    stderrTruncated: false,
    timedOut: false,
    cancelled: false,
    durationMs: 0,
  };
}

function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}
