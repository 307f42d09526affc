import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReplayGuard, createSeenStore } from './seen-store.js';

describe('seen store', () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'oresi-seen-')); });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  it('claims a key once, and remembers it across a restart', async () => {
    const path = join(dir, 'data', 'chat-seen.db');
    const first = createSeenStore({ path, now: () => 1_000, retentionMs: 60_000 });
    expect([first.claim('discord:1'), first.claim('discord:1'), first.claim('discord:2')]).toEqual([true, false, true]);
    first.close();
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const second = createSeenStore({ path, now: () => 2_000, retentionMs: 60_000 });
    expect(second.claim('discord:1')).toBe(false);
    second.close();
  });

  it('forgets keys older than the retention (they are outside the signature window anyway)', () => {
    const path = join(dir, 'seen.db');
    let now = 0;
    const a = createSeenStore({ path, now: () => now, retentionMs: 1_000 });
    a.claim('old');
    a.close();
    now = 5_000;
    const b = createSeenStore({ path, now: () => now, retentionMs: 1_000 });
    expect(b.claim('old')).toBe(true);
    b.close();
  });
});

describe('replay guard', () => {
  it('claims in memory for reads and durably for changes; both refuse a replay', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oresi-replay-'));
    const path = join(dir, 'seen.db');
    let now = 0;
    const store = createSeenStore({ path, now: () => now, retentionMs: 60_000 });
    const guard = createReplayGuard(store, { now: () => now, ttlMs: 1_000 });
    expect([guard.claim('read', false), guard.claim('read', false)]).toEqual([true, false]);
    expect([guard.claim('write', true), guard.claim('write', true)]).toEqual([true, false]);
    now = 5_000; // past the memory TTL: only the durable claim is still remembered
    expect([guard.claim('read', false), guard.claim('write', true)]).toEqual([true, false]);
    store.close();
    const reopened = createSeenStore({ path, now: () => now, retentionMs: 60_000 });
    expect([reopened.claim('write'), reopened.claim('read')]).toEqual([false, true]);
    reopened.close();
    await rm(dir, { recursive: true, force: true });
  });
});
