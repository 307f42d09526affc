import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEngineClient } from '../../src/docker/engine.js';
import type { EngineClient } from '../../src/docker/engine-types.js';
import type { FiringResult } from '../../src/schedule/fire-schedule.js';
import { SchedulesConfig } from '../../src/config/schedule-schema.js';
import { createScheduler } from '../../src/schedule/scheduler.js';
import { makeTestApp, type TestApp } from '../helpers/test-app.js';
import { describeEngine, removeProject, TEST_IMAGE, TEST_REGISTRY, uniqueProjectName } from './engine.js';

/** Schedules on the real engine, with a Healthchecks.io stand-in recording every ping. */
describeEngine('schedules on the real engine', () => {
  const stack = uniqueProjectName('sched');
  const broken = uniqueProjectName('schedbroken');
  let app: TestApp;
  let engine: EngineClient;
  let hc: Server;
  let hcUrl = '';
  const pings: Array<{ path: string; body: string }> = [];

  const intent = (name: string, s: string) => `apiVersion: oresi.dev/v1\nkind: Intent\nname: ${name}\nstack: ${s}\ntimeoutSeconds: 120\nsteps:\n  - action: up\n`;

  beforeAll(async () => {
    hc = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (c: string) => { body += c; }).on('end', () => {
        pings.push({ path: req.url ?? '', body });
        res.writeHead(200).end('OK');
      });
    });
    await new Promise<void>((resolve) => hc.listen(0, '127.0.0.1', resolve));
    hcUrl = `http://127.0.0.1:${(hc.address() as AddressInfo).port}`;
    app = await makeTestApp({
      stacks: {
        [stack]: `services:\n  web:\n    image: ${TEST_IMAGE}\n    network_mode: none\n    command: ["sleep", "600"]\n    stop_grace_period: 1s\n`,
        [broken]: `services:\n  web:\n    image: ${TEST_REGISTRY}/oresi/does-not-exist:1\n    network_mode: none\n`,
      },
      intents: { 'up.yaml': intent('nightly-up', stack), 'broken.yaml': intent('broken-up', broken) },
      env: { ORESI_TEST_HC_URL: `${hcUrl}/ping/broken-check` },
    });
    engine = createEngineClient({ host: process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock' });
  });
  afterAll(async () => {
    await removeProject(stack);
    await removeProject(broken);
    await engine?.close();
    await app?.close();
    await new Promise<void>((resolve) => hc?.close(() => resolve()));
  });

  it('fires once in the matching minute, runs the intent, and pings start then success', async () => {
    let now = Date.parse('2025-05-05T03:59:40Z');
    const timers: Array<{ at: number; fn: () => void }> = [];
    const results: FiringResult[] = [];
    const s = createScheduler({
      ctx: app.ctx,
      clock: () => now,
      setTimer: (ms, fn) => { const t = { at: now + ms, fn }; timers.push(t); return () => timers.splice(timers.indexOf(t), 1); },
      schedules: SchedulesConfig.parse([{ name: 'nightly', cron: '0 4 * * *', intent: 'nightly-up', timeZone: 'UTC', healthchecks: { url: `${hcUrl}/ping/nightly-check` } }]),
      onFired: (r) => results.push(r),
    });
    s.start();
    // Walk three minutes of timer firings.
    for (let i = 0; i < 3; i++) {
      const t = timers.shift();
      if (!t) break;
      now = t.at;
      t.fn();
    }
    s.stop();
    await s.idle();
    expect(results).toEqual([{ schedule: 'nightly', outcome: 'ran', runId: expect.any(String), state: 'succeeded' }]);
    const running = (await engine.listComposeContainers()).filter((c) => c.project === stack && c.state === 'running');
    expect(running).toHaveLength(1);
    const mine = pings.filter((p) => p.path.startsWith('/ping/nightly-check'));
    expect(mine.map((p) => p.path.split('?')[0])).toEqual(['/ping/nightly-check/start', '/ping/nightly-check']);
    // Both pings carry the same rid, so Healthchecks measures the run's duration.
    const rids = mine.map((p) => new URL(p.path, hcUrl).searchParams.get('rid'));
    expect(rids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(rids[1]).toBe(rids[0]);
    const run = app.ctx.audit.getRun(results[0]?.outcome === 'ran' ? results[0].runId : '');
    expect(run).toMatchObject({ requestedBy: 'schedule:nightly', source: 'schedule', reason: expect.stringContaining('schedule nightly (0 4 * * *) at 2025-05-05T04:00:00.000Z') });
  });

  it('a failing run pings /fail with the (redacted) end of its log', async () => {
    const { fireSchedule } = await import('../../src/schedule/fire-schedule.js');
    const [entry] = SchedulesConfig.parse([{ name: 'broken', cron: '* * * * *', intent: 'broken-up', healthchecks: { urlEnv: 'ORESI_TEST_HC_URL' } }]);
    const result = await fireSchedule(app.ctx, entry!, { minuteIso: '2025-05-05T04:01:00.000Z', pingUrl: `${hcUrl}/ping/broken-check` });
    expect(result).toMatchObject({ outcome: 'ran', state: 'failed' });
    const mine = pings.filter((p) => p.path.startsWith('/ping/broken-check'));
    expect(mine.map((p) => p.path.split('?')[0])).toEqual(['/ping/broken-check/start', '/ping/broken-check/fail']);
    expect(mine[1]?.body).toMatch(/Failed: broken-up on stack/);
    expect(mine[1]?.body).toMatch(/--- log \(end\) ---[\s\S]*does-not-exist/);
  });
});
