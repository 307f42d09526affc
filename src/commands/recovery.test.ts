import { afterAll, describe, expect, it } from 'vitest';
import { closeApp, createApp } from '../app.js';
import type { RunRow } from '../model.js';
import { makeTestApp, silentLogger, type TestApp } from '../../test/helpers/test-app.js';

const row = (id: string, stack: string): RunRow => ({
  id, intent: 'x', stack, state: 'running', requestedBy: 'alice', source: 'http', reason: null, params: {},
  planHash: 'h', plan: {}, steps: [], createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(), finishedAt: null,
});

describe('start-up recovery', () => {
  let app: TestApp;
  afterAll(async () => app?.close());

  it('a second oresi process (a cron CLI) does not call a run interrupted while a live process holds its stack', async () => {
    app = await makeTestApp({ stacks: { media: 'services:\n  a:\n    image: busybox\n', web: 'services:\n  b:\n    image: busybox\n' }, intents: {} });
    await app.ctx.audit.insertRun(row('live-run', 'media'));
    await app.ctx.audit.insertRun(row('crashed-run', 'web'));
    // The server holds media's lock for live-run; nobody holds web's: that run's process died.
    const held = app.ctx.locks.tryAcquire('media', 'live-run');
    expect(held.acquired).toBe(true);

    const second = await createApp({ config: app.ctx.config, sys: app.ctx.sys, logger: silentLogger, mode: 'full' });
    await closeApp(second);

    expect(app.ctx.audit.getRun('live-run')?.state).toBe('running');
    expect(app.ctx.audit.getRun('crashed-run')?.state).toBe('interrupted');
    if (held.acquired) held.release();
  });
});
