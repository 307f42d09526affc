import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRealSys } from '../sys/real.js';
import { buildChildEnv } from './child-env.js';
import { runArgv } from './run-argv.js';
import type { RunArgvOptions } from './types.js';

const sys = createRealSys(process.env);
const env = buildChildEnv(process.env, []);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oresi-run-argv-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function opts(over: Partial<RunArgvOptions> = {}): RunArgvOptions {
  return { cwd: dir, env, timeoutMs: 20_000, killGraceMs: 500, maxOutputBytes: 64 * 1024, ...over };
}

/** `/bin/sh -c` only here, in tests, to build awkward children. */
function sh(script: string): string[] {
  return ['/bin/sh', '-c', script];
}

/**
 * Waits (bounded) for a killed pid to be gone: SIGKILL is delivered asynchronously, and a
 * process whose parent died may linger as a zombie until something reaps it.
 */
async function isAliveAfterKill(pid: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (!(await isAlive(pid))) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

async function isAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== '' && state !== 'Z' && state !== 'X';
}

describe('runArgv', () => {
  it('returns exit code, stdout and stderr as data', async () => {
    const r = await runArgv(sys, sh('echo out; echo err >&2; exit 3'), opts());
    expect(r).toMatchObject({ exitCode: 3, signal: null, stdout: 'out\n', stderr: 'err\n', timedOut: false });
    expect(r.cancelled).toBe(false);
    expect(r.spawnError).toBeUndefined();
    expect(r.argv).toEqual(sh('echo out; echo err >&2; exit 3'));
  });

  it('passes argv without a shell: metacharacters stay literal', async () => {
    const r = await runArgv(sys, ['/bin/echo', '$(id)', ';', 'rm -rf /', '`x`'], opts());
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('$(id) ; rm -rf / `x`\n');
  });

  it('runs in cwd with exactly the given environment', async () => {
    const r = await runArgv(sys, ['/usr/bin/env'], opts({ env: { ONLY: 'this', PATH: '/usr/bin:/bin' } }));
    expect(r.stdout.trim().split('\n').sort()).toEqual(['ONLY=this', 'PATH=/usr/bin:/bin']);
    const pwd = await runArgv(sys, ['/bin/pwd'], opts());
    expect(pwd.stdout.trim()).toBe(dir);
  });

  it('caps output, marks the truncation, and keeps draining so the child does not block', async () => {
    // 1 MiB is far beyond a pipe buffer: if we stopped reading, this would hang to the timeout.
    const r = await runArgv(sys, sh("head -c 1048576 /dev/zero | tr '\\0' a; echo done >&2"), opts({ maxOutputBytes: 1000 }));
    expect(r.exitCode).toBe(0);
    expect(r.timedOut).toBe(false);
    expect(r.stdoutTruncated).toBe(true);
    expect(r.stderrTruncated).toBe(false);
    expect(r.stdout).toBe('a'.repeat(500) + '\n[oresi: output truncated: 1047576 bytes dropped, first 500 and last 500 bytes kept]\n' + 'a'.repeat(500));
    expect(r.stderr).toBe('done\n');
  });

  it('decodes a UTF-8 character split across reads', async () => {
    const chunks: string[] = [];
    const script = "process.stdout.write(Buffer.from([0xe2,0x82]));setTimeout(()=>process.stdout.write(Buffer.from([0xac,0x0a])),150)";
    const r = await runArgv(sys, [process.execPath, '-e', script], opts({ onOutput: (_s, c) => chunks.push(c) }));
    expect(r.stdout).toBe('€\n');
    expect(chunks.join('')).toBe('€\n');
    expect(chunks.some((c) => c.includes('\uFFFD'))).toBe(false);
  });

  it('kills a hung command and its grandchild at the timeout', async () => {
    let grandchild = 0;
    const r = await runArgv(sys, sh('sleep 300 & echo $!; wait'), opts({
      timeoutMs: 400,
      onOutput: (_s, c) => { grandchild ||= Number.parseInt(c, 10); },
    }));
    expect(r.timedOut).toBe(true);
    expect(r.cancelled).toBe(false);
    expect(r.exitCode).toBeNull();
    expect(r.signal).toBe('SIGTERM');
    expect(grandchild).toBeGreaterThan(0);
    expect(await isAliveAfterKill(grandchild)).toBe(false);
  });

  it('escalates to SIGKILL when SIGTERM is ignored', async () => {
    const r = await runArgv(sys, sh("trap '' TERM; echo ready; sleep 300"), opts({ timeoutMs: 300, killGraceMs: 300 }));
    expect(r.timedOut).toBe(true);
    expect(r.signal).toBe('SIGKILL');
    expect(r.stdout).toBe('ready\n');
  });

  it('cancels through an AbortSignal along the same path', async () => {
    const ac = new AbortController();
    const r = await runArgv(sys, sh('echo ready; sleep 300'), opts({ signal: ac.signal, onOutput: () => ac.abort() }));
    expect(r.cancelled).toBe(true);
    expect(r.timedOut).toBe(false);
    expect(r.signal).toBe('SIGTERM');
  });

  it('does not spawn when the signal is already aborted', async () => {
    let spawned = 0;
    const counting = { ...sys, spawn: ((...a: Parameters<typeof sys.spawn>) => { spawned++; return sys.spawn(...a); }) as typeof sys.spawn };
    const r = await runArgv(counting, ['/bin/true'], opts({ signal: AbortSignal.abort() }));
    expect(r.cancelled).toBe(true);
    expect(spawned).toBe(0);
  });

  it('does not hang when a backgrounded grandchild holds the pipes after the child exits', async () => {
    let grandchild = 0;
    const r = await runArgv(sys, sh('sleep 300 & echo $!'), opts({
      onOutput: (_s, c) => { grandchild ||= Number.parseInt(c, 10); },
    }));
    expect(r.exitCode).toBe(0);
    expect(r.timedOut).toBe(false);
    expect(grandchild).toBeGreaterThan(0);
    expect(await isAliveAfterKill(grandchild)).toBe(false);
  });

  it('stops waiting for pipes held by a process that left the group', async () => {
    let escaped = 0;
    const r = await runArgv(sys, sh('setsid sleep 300 & echo $!'), opts({
      onOutput: (_s, c) => { escaped ||= Number.parseInt(c, 10); },
    }));
    try {
      expect(r.exitCode).toBe(0);
      expect(r.timedOut).toBe(false);
      expect(r.stdout).toMatch(/^\d+\n$/);
    } finally {
      if (escaped > 0) process.kill(escaped, 'SIGKILL');
    }
  });

  it('reports a missing program as spawnError, not a throw', async () => {
    const r = await runArgv(sys, ['/nonexistent/oresi-prog', 'x'], opts());
    expect(r.spawnError).toMatch(/ENOENT/);
    expect(r.exitCode).toBeNull();
  });

  it('reports a non-executable file as spawnError EACCES', async () => {
    const file = join(dir, 'not-exec');
    await writeFile(file, '#!/bin/sh\necho hi\n');
    await chmod(file, 0o644);
    const r = await runArgv(sys, [file], opts());
    expect(r.spawnError).toMatch(/EACCES/);
  });

  it('reports an empty argv and a missing cwd as spawnError', async () => {
    expect((await runArgv(sys, [], opts())).spawnError).toMatch(/empty argv/);
    expect((await runArgv(sys, [''], opts())).spawnError).toMatch(/empty argv/);
    const r = await runArgv(sys, ['/bin/true'], opts({ cwd: join(dir, 'missing') }));
    expect(r.spawnError).toBeDefined();
  });
});
