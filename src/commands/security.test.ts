import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../http/server.js';
import type { AlertEvent } from '../notify/events.js';
import { makeTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { BURST_THRESHOLD, createSecurityMonitor } from './security.js';

describe('refused credentials', () => {
  let app: TestApp;
  const alerts: AlertEvent[] = [];

  beforeAll(async () => {
    app = await makeTestApp({ stacks: {}, intents: {}, env: { ORESI_API_KEY: 'an-admin-key-that-is-long-enough-123' } });
    app.ctx.alerts = { ...app.ctx.alerts, notify: (e) => void alerts.push(e) };
    app.ctx.security = createSecurityMonitor(app.ctx);
  });
  afterAll(async () => app?.close());

  it('a burst of bad API keys from one address: throttled audit rows, one security event, one alert', async () => {
    const server = await createServer(app.ctx, { logger: { level: 'silent' }, version: 'test' });
    for (let i = 0; i < BURST_THRESHOLD + 5; i++) {
      const res = await server.inject({ method: 'GET', url: '/v1/intents', headers: { authorization: `Bearer wrong-key-${i}` }, remoteAddress: '203.0.113.9' });
      expect([401, 429]).toContain(res.statusCode);
    }
    await server.close();
    const events = app.ctx.audit.list({ limit: 1000 });
    const failed = events.filter((e) => e.type === 'auth.failed' && e.ip === '203.0.113.9');
    expect(failed).toHaveLength(1);
    expect(events.filter((e) => e.type === 'security.event' && (e.data as { event?: string }).event === 'auth_failure_burst')).toHaveLength(1);
    expect(alerts.filter((a) => a.kind === 'security.event' && a.title.includes('203.0.113.9'))).toHaveLength(1);
  });

  it('failures from different addresses do not add up to a burst', async () => {
    const before = alerts.length;
    for (let i = 0; i < BURST_THRESHOLD * 2; i++) {
      await app.ctx.security.authFailure({ ip: `198.51.100.${i}`, via: 'slack', reason: 'signature mismatch' });
    }
    expect(alerts.length).toBe(before);
  });
});
