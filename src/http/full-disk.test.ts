import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countingSys, makeTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { createServer } from './server.js';

// Regression: with the data dir full, POST /v1/runs answered 500 E_INTERNAL, because the stack
// lock file write failed (ENOSPC) before the audit write and nothing mapped it. A real tmpfs
// of a few MiB holds the data dir and is filled to the last byte.

const KEY = 'full-disk-admin-key-0123456789abcdef';
const mountPoint = mkdtempSync(join(tmpdir(), 'oresi-full-'));
const mounted = tryMount(mountPoint);
if (!mounted.ok) console.warn(`full-disk test skipped: this machine cannot mount a tmpfs (${mounted.reason})`);

function tryMount(dir: string): { ok: true } | { ok: false; reason: string } {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0700', 'tmpfs', dir], { stdio: 'pipe' });
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: String((err as { stderr?: Buffer }).stderr ?? err).trim() };
  }
}

/** Writes until the file system refuses a single byte. */
function fill(path: string): void {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(65_536, 1);
  try {
    for (const size of [65_536, 4_096, 1]) {
      try {
        for (;;) writeSync(fd, chunk, 0, size);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      }
    }
  } finally {
    closeSync(fd);
  }
}

const FAKE_DOCKER = '#!/bin/sh\ncase "$*" in *version*) echo "Docker Compose version v2.0.0"; exit 0;; esac\necho "ran: $*"\n';
const INTENT = 'apiVersion: oresi.dev/v1\nkind: Intent\nname: web-restart\nstack: web\nsteps:\n  - action: restart\n';

describe.skipIf(!mounted.ok)('a full data dir', () => {
  let test: TestApp;
  let sys: ReturnType<typeof countingSys>;
  let app: FastifyInstance;
  const filler = join(mountPoint, 'filler');
  const run = () => app.inject({ method: 'POST', url: '/v1/runs', headers: { authorization: `Bearer ${KEY}` }, payload: { intent: 'web-restart', reason: 'disk' } });

  beforeAll(async () => {
    const bin = mkdtempSync(join(tmpdir(), 'oresi-fake-docker-'));
    writeFileSync(join(bin, 'docker'), FAKE_DOCKER);
    chmodSync(join(bin, 'docker'), 0o755);
    mkdirSync(join(mountPoint, 'data'));
    test = await makeTestApp({
      stacks: { web: 'services:\n  app:\n    image: busybox\n' },
      intents: { 'web-restart.yaml': INTENT },
      config: { dataDir: join(mountPoint, 'data') },
      env: { PATH: `${bin}:${process.env.PATH ?? ''}`, ORESI_API_KEY: KEY },
      sys: (real) => (sys = countingSys(real)),
    });
    app = await createServer(test.ctx, { logger: { level: 'silent' }, version: 'test' });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await test?.close();
    execFileSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  it('refuses a run with 503 E_AUDIT_UNAVAILABLE, spawns nothing, and loses nothing once space is freed', async () => {
    const before = await run();
    expect(before.statusCode).toBe(202);
    await test.ctx.active.drain(10_000);
    const eventsBefore = test.ctx.audit.list({ limit: 10_000 }).length;
    const spawnsBefore = sys.spawns.length;

    fill(filler);
    for (let i = 0; i < 3; i++) {
      const res = await run();
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('E_AUDIT_UNAVAILABLE');
    }
    expect(sys.spawns.length).toBe(spawnsBefore);
    // A failed lock write leaves no empty lock file behind to be mistaken for a crash.
    expect(readdirSync(join(mountPoint, 'data', 'locks'))).toEqual([]);

    unlinkSync(filler);
    const after = await run();
    expect(after.statusCode).toBe(202);
    await test.ctx.active.drain(10_000);
    expect(test.ctx.audit.getRun(after.json().id)?.state).toBe('succeeded');
    expect(test.ctx.audit.getRun(before.json().id)?.state).toBe('succeeded');
    expect(test.ctx.audit.list({ limit: 10_000 }).length).toBeGreaterThan(eventsBefore);
    expect(test.ctx.audit.verify()).toMatchObject({ ok: true });
  });
});
