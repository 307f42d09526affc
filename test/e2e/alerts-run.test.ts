import { afterAll, beforeAll, expect, it } from 'vitest';
import { requestRun } from '../../src/commands/runs.js';
import { adminCaller, makeTestApp, type TestApp } from '../helpers/test-app.js';
import { startRecordingServer, type RecordingServer } from '../stand-ins/sinks.js';
import { describeEngine, removeProject, TEST_IMAGE, uniqueProjectName } from './engine.js';

const SECRET = 'Sup3rS3cretTagValue!!';

/**
 * Alerts from the run path on the real engine: a failing compose step whose error echoes a
 * secret from the stack's .env reaches every sink, redacted; a success reaches the success route.
 */
describeEngine('run alerts reach the sinks, redacted', () => {
  const stack = uniqueProjectName('alerts');
  let app: TestApp;
  let discord: RecordingServer;
  let webhook: RecordingServer;

  beforeAll(async () => {
    discord = await startRecordingServer();
    webhook = await startRecordingServer();
    app = await makeTestApp({
      stacks: {
        // An image reference built from a secret: compose's error message repeats it.
        [stack]: `services:\n  web:\n    image: "${TEST_IMAGE.split(':')[0]}:\${BAD_TAG}"\n    network_mode: none\n`,
      },
      intents: {
        'up.yaml': `apiVersion: oresi.dev/v1\nkind: Intent\nname: up\nstack: ${stack}\nsteps:\n  - action: up\n`,
        'status.yaml': `apiVersion: oresi.dev/v1\nkind: Intent\nname: status\nstack: ${stack}\nsteps:\n  - action: status\n`,
      },
      prepare: async ({ stacksRoot }) => {
        const { writeFile } = await import('node:fs/promises');
        await writeFile(`${stacksRoot}/${stack}/.env`, `BAD_TAG=${SECRET}\n`);
      },
      env: { DISCORD_URL: `${discord.url}/api/webhooks/1/abc`, HOOK_SECRET: 'hmac-secret-value-123' },
      config: {
        notify: {
          sinks: {
            discord: { type: 'discord', urlEnv: 'DISCORD_URL' },
            hook: { type: 'webhook', url: `${webhook.url}/hook`, secretEnv: 'HOOK_SECRET' },
          },
          routes: [{ events: ['run.failed', 'run.succeeded'], sinks: ['discord', 'hook'] }],
          retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 20 },
        },
      },
    });
  });
  afterAll(async () => {
    await removeProject(stack);
    await app?.close();
    await discord?.close();
    await webhook?.close();
  });

  it('a failed run alerts every routed sink; the secret in its output never leaves the process', async () => {
    const run = await requestRun(app.ctx, adminCaller, { intent: 'up', waitMs: 60_000 });
    expect(run.state).toBe('failed');
    // compose did print the secret: the stored output shows where it was cut out.
    expect(run.steps[0]?.stderr).toContain('***REDACTED***');
    await app.ctx.alerts.flush(10_000);
    const [d] = await discord.waitFor(1);
    const [w] = await webhook.waitFor(1);
    for (const req of [d!, w!]) {
      expect(req.body).toContain(stack);
      expect(req.body).not.toContain(SECRET);
    }
    expect(d!.body).toMatch(/Failed|failed/);
    expect(w!.headers['x-oresi-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    const audited = app.ctx.audit.list({ limit: 1000 }).filter((e) => e.type === 'notify.delivered');
    expect(audited.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(app.ctx.audit.list({ limit: 1000 }))).not.toContain(SECRET);
  });

  it('a success after the failure is delivered as a recovery', async () => {
    const before = discord.requests.length;
    const run = await requestRun(app.ctx, adminCaller, { intent: 'status', waitMs: 60_000 });
    expect(run.state).toBe('succeeded');
    await app.ctx.alerts.flush(10_000);
    expect(discord.requests.length).toBeGreaterThan(before);
  });
});
