import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileStackLocks } from './file-locks.js';
import { findOrphans } from './orphans.js';
import { processStartTime } from './process-group.js';
import { acquireStacks } from './locks.js';

describe('createFileStackLocks', () => {
  it('two lock sets on one folder (two processes) exclude each other', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oresi-locks-'));
    const server = createFileStackLocks(dir, process.pid);
    const cli = createFileStackLocks(dir, process.pid + 100000);
    const a = server.tryAcquire('media', 'run-a');
    expect(a.acquired).toBe(true);
    // The other "process" sees the holder through the file (its pid is this live process).
    const b = createFileStackLocks(dir, 1).tryAcquire('media', 'run-b');
    expect(b).toEqual({ acquired: false, holder: 'run-a' });
    if (a.acquired) a.release();
    expect(cli.tryAcquire('media', 'run-c').acquired).toBe(true);
  });

  it('takes over a lock left by a dead process', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oresi-locks-'));
    const child = spawn(process.execPath, ['-e', '0']);
    const deadPid = child.pid!;
    await new Promise((resolve) => child.once('exit', resolve));
    await writeFile(join(dir, 'media.lock'), JSON.stringify({ pid: deadPid, holder: 'crashed-run' }));
    const res = createFileStackLocks(dir).tryAcquire('media', 'new-run');
    expect(res.acquired).toBe(true);
  });

  it('is all-or-nothing through acquireStacks and a stale release frees nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oresi-locks-'));
    const locks = createFileStackLocks(dir);
    const other = createFileStackLocks(dir, 1);
    const held = locks.tryAcquire('b', 'x');
    const both = acquireStacks(other, ['a', 'b'], 'y');
    expect(both.acquired).toBe(false);
    // 'a' was released again when 'b' failed.
    expect(locks.tryAcquire('a', 'z').acquired).toBe(true);
    if (held.acquired) { held.release(); held.release(); }
    expect(locks.holder('b')).toBeUndefined();
  });

  // Regression: after a kill -9 of the server its docker-compose child ran on, and a new run
  // took the stack because only the (dead) owner pid was checked.
  it('stays held while a recorded child group of a dead owner lives, and is free once it ends', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oresi-locks-'));
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => dead.once('exit', resolve));
    const orphan = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    const pid = orphan.pid!;
    await writeFile(join(dir, 'media.lock'), JSON.stringify({
      pid: dead.pid, holder: 'crashed-run', children: [{ pid, pgid: pid, startTime: processStartTime(pid), argv: ['sleep', '30'] }],
    }));
    expect(createFileStackLocks(dir).tryAcquire('media', 'new-run')).toEqual({ acquired: false, holder: 'crashed-run' });
    expect(findOrphans(dir).map((o) => o.runId)).toEqual(['crashed-run']);
    process.kill(-pid, 'SIGKILL');
    await new Promise((resolve) => orphan.once('exit', resolve));
    expect(createFileStackLocks(dir).tryAcquire('media', 'new-run').acquired).toBe(true);
  });
});
