import { describe, expect, it } from 'vitest';
import { NotifyConfig } from '../config/notify-schema.js';

const issues = (input: unknown) => {
  const r = NotifyConfig.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('notify config', () => {
  it('defaults to no sinks, no routes, 5 attempts from 500 ms to 30 s, 1000 queued', () => {
    expect(NotifyConfig.parse(undefined)).toEqual({ sinks: {}, routes: [], retry: { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 }, queueSize: 1000 });
  });

  it('accepts every sink type', () => {
    const cfg = NotifyConfig.parse({
      sinks: {
        discord: { type: 'discord', urlEnv: 'DISCORD_WEBHOOK_URL' },
        slack: { type: 'slack', urlEnv: 'SLACK_WEBHOOK_URL' },
        kuma: { type: 'kuma', url: 'https://kuma.lan/api/push/abc' },
        hc: { type: 'healthchecks', url: 'https://hc-ping.com/0b0b0b0b-0000-4000-8000-000000000000' },
        phone: { type: 'ntfy', topicEnv: 'NTFY_TOPIC', tokenEnv: 'NTFY_TOKEN' },
        hook: { type: 'webhook', urlEnv: 'HOOK_URL', secretEnv: 'HOOK_SECRET' },
      },
      routes: [{ events: ['run.failed', 'run.succeeded'], sinks: ['discord', 'kuma'], stacks: ['media*'] }],
    });
    expect(cfg.sinks.phone).toMatchObject({ type: 'ntfy', url: 'https://ntfy.sh', tags: [], timeoutMs: 10_000 });
  });

  it.each([
    [{ sinks: { d: { type: 'discord' } } }, 'sinks.d.url: needs url or urlEnv'],
    [{ sinks: { d: { type: 'discord', url: 'https://x', urlEnv: 'X' } } }, 'sinks.d.urlEnv: give url or urlEnv, not both'],
    [{ sinks: { d: { type: 'discord', url: 'file:///etc/passwd' } } }, 'sinks.d.url: must be an http(s) URL'],
    [{ sinks: { d: { type: 'discord', urlEnv: 'lower' } } }, 'sinks.d.urlEnv: must be an environment variable name'],
    [{ sinks: { d: { type: 'pagerduty', url: 'https://x' } } }, 'sinks.d.type'],
    [{ sinks: { d: { type: 'slack', url: 'https://x', colour: 'red' } } }, 'sinks.d: Unrecognized key'],
    [{ sinks: { n: { type: 'ntfy' } } }, 'sinks.n.topic: needs exactly one of topic or topicEnv'],
    [{ sinks: {}, routes: [{ events: ['run.failed'], sinks: ['nope'] }] }, 'routes.0.sinks.0: no sink named nope'],
    [{ routes: [{ events: ['run.exploded'], sinks: ['x'] }] }, 'routes.0.events.0'],
    [{ retry: { baseDelayMs: 5000, maxDelayMs: 100 } }, 'retry.baseDelayMs: must not exceed maxDelayMs'],
    [{ routes: [{ events: ['run.failed'], sinks: ['x'], stacks: ['Media'] }] }, 'routes.0.stacks.0'],
  ])('rejects %j', (input, expected) => {
    expect(issues(input).some((i) => i.startsWith(expected))).toBe(true);
  });
});
