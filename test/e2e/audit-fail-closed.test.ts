import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteAuditStore } from '../../src/audit/sqlite-store.js';
import type { AuditStore } from '../../src/audit/types.js';

// Real OS failure modes for the audit store. Each probes at runtime whether the sandbox allows
// the trick (chattr on this filesystem, mounting a tmpfs) and skips only that case if not; the
// lock case in src/audit/sqlite-fail-closed.test.ts always runs.

let dir: string;
const cleanups: (() => void)[] = [];
const now = () => Date.UTC(2024, 0, 1);

function tryRun(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'oresi-audit-os-'));
});
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('audit store on an immutable file (chattr +i)', () => {
  function chattrWorks(): boolean {
    const probe = join(dir, 'probe');
    writeFileSync(probe, '');
    const ok = tryRun('chattr', ['+i', probe]);
    if (ok) tryRun('chattr', ['-i', probe]);
    return ok;
  }

  function immutable(...paths: string[]): void {
    execFileSync('chattr', ['+i', ...paths]);
    cleanups.push(() => execFileSync('chattr', ['-i', ...paths]));
  }

  it('rejects appends and pings while the files are immutable, then recovers', async (ctx) => {
    if (!chattrWorks()) return ctx.skip('chattr +i is not supported here');
    const path = join(dir, 'audit.db');
    const store: AuditStore = createSqliteAuditStore({ path, now });
    cleanups.push(() => store.close());
    const first = await store.append({ type: 'config.loaded' });
    // The database and its WAL are where commits land; the store names the file it may not write.
    immutable(path, `${path}-wal`);
    await expect(store.append({ type: 'run.started', runId: 'r1' })).rejects.toMatchObject({
      code: 'E_AUDIT_UNAVAILABLE', message: expect.stringMatching(/cannot append: .*audit\.db is not writable \(EPERM/),
    });
    await expect(store.ping()).rejects.toMatchObject({ code: 'E_AUDIT_UNAVAILABLE' });
    expect(store.checkpoint()).toEqual({ seq: 1, hash: first.hash });
    cleanups.pop()?.();
    await expect(store.append({ type: 'run.started', runId: 'r1' })).resolves.toMatchObject({ seq: 2, prevHash: first.hash });
    expect(store.verify()).toMatchObject({ ok: true, count: 2 });
  });

  it('an immutable -shm under a live store is refused, not SIGBUS (issue 20)', async (ctx) => {
    if (!chattrWorks()) return ctx.skip('chattr +i is not supported here');
    const path = join(dir, 'audit.db');
    const store = createSqliteAuditStore({ path, now });
    cleanups.push(() => store.close());
    await store.append({ type: 'config.loaded' });
    immutable(`${path}-shm`);
    const refused = { code: 'E_AUDIT_UNAVAILABLE', message: expect.stringMatching(/audit\.db-shm is not writable \(EPERM/) };
    await expect(store.append({ type: 'run.started', runId: 'r1' })).rejects.toMatchObject(refused);
    await expect(store.ping()).rejects.toMatchObject(refused);
    expect(() => store.checkpoint()).toThrow(expect.objectContaining(refused));
    // Reopening (a restart) is refused the same way.
    expect(() => createSqliteAuditStore({ path, now })).toThrow(expect.objectContaining(refused));
    cleanups.pop()?.();
    await expect(store.append({ type: 'run.started', runId: 'r1' })).resolves.toMatchObject({ seq: 2 });
    expect(store.verify()).toMatchObject({ ok: true, count: 2 });
  });

  it('refuses to open an immutable database for writing', async (ctx) => {
    if (!chattrWorks()) return ctx.skip('chattr +i is not supported here');
    const path = join(dir, 'audit.db');
    const store = createSqliteAuditStore({ path, now });
    await store.append({ type: 'config.loaded' });
    store.close();
    immutable(path);
    expect(() => createSqliteAuditStore({ path, now })).toThrow(expect.objectContaining({ code: 'E_AUDIT_UNAVAILABLE' }));
    // The CLI can still read and verify it.
    const reader = createSqliteAuditStore({ path, now, readOnly: true });
    cleanups.push(() => reader.close());
    expect(reader.verify()).toMatchObject({ ok: true, count: 1 });
  });
});

describe('audit store on a full filesystem (tiny tmpfs)', () => {
  it('rejects the append that does not fit; every append that resolved survives a reopen', async (ctx) => {
    const mnt = join(dir, 'mnt');
    mkdirSync(mnt);
    if (!tryRun('mount', ['-t', 'tmpfs', '-o', 'size=256k,mode=0700', 'tmpfs', mnt])) {
      return ctx.skip('cannot mount a tmpfs here');
    }
    cleanups.push(() => execFileSync('umount', [mnt]));
    const path = join(mnt, 'audit.db');
    const store = createSqliteAuditStore({ path, now });
    const closeStore = () => store.close();
    cleanups.push(closeStore);

    const blob = 'x'.repeat(8 * 1024);
    let resolved = 0;
    let failure: unknown;
    for (let i = 0; i < 200 && failure === undefined; i++) {
      await store.append({ type: 'step.finished', data: { i, blob } }).then(() => { resolved++; }, (err: unknown) => { failure = err; });
    }
    expect(failure).toMatchObject({ code: 'E_AUDIT_UNAVAILABLE', message: expect.stringMatching(/cannot append: .*SQLITE_(FULL|IOERR)/) });
    expect(resolved).toBeGreaterThan(0);
    // Still full: the same append fails again rather than half-succeeding. (No ping assertion
    // here: a one-page heartbeat may still fit where an 8 KiB event does not.)
    await expect(store.append({ type: 'step.finished', data: { blob } })).rejects.toMatchObject({ code: 'E_AUDIT_UNAVAILABLE' });
    store.close();

    const reader = createSqliteAuditStore({ path, now, readOnly: true });
    cleanups.push(() => reader.close());
    expect(reader.verify()).toMatchObject({ ok: true, count: resolved });
  });
});
