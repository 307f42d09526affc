import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileStackLocks } from './file-locks.js';
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
});
