import { afterEach, describe, expect, it } from 'vitest';
import { type RecordingServer, startRecordingServer } from '../../test/stand-ins/sinks.js';
import { AppError } from '../errors.js';
import { collectSinkSecrets, createSinks } from './create-sinks.js';
import { NotifyConfig } from '../config/notify-schema.js';

const servers: RecordingServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});
const base = { fetch: globalThis.fetch, now: () => 0 };

describe('createSinks', () => {
  it('reads URL, topic and token from the environment', async () => {
    const s = await startRecordingServer(() => ({ status: 200 }));
    servers.push(s);
    const cfg = NotifyConfig.parse({ sinks: { phone: { type: 'ntfy', urlEnv: 'NTFY_URL', topicEnv: 'NTFY_TOPIC', tokenEnv: 'NTFY_TOKEN' } } });
    const env = { NTFY_URL: s.url, NTFY_TOPIC: 'secret-topic', NTFY_TOKEN: 'tk_secret' };
    const sinks = createSinks(cfg.sinks, { ...base, env });
    expect(Object.keys(sinks)).toEqual(['phone']);
    const res = await sinks.phone?.send({ kind: 'run.failed', title: 't', text: 'x', severity: 'critical', status: 'problem', dedupeKey: 'k', at: 'a' });
    expect(res?.ok).toBe(true);
    expect(s.requests[0]?.path).toBe('/secret-topic');
    expect(s.requests[0]?.headers.authorization).toBe('Bearer tk_secret');
    expect(collectSinkSecrets(cfg.sinks, env).sort()).toEqual([s.url, 'tk_secret'].sort());
  });

  it('an unset variable stops start-up naming the setting, not a value', () => {
    const cfg = NotifyConfig.parse({ sinks: { team: { type: 'discord', urlEnv: 'DISCORD_URL' } } });
    let err: unknown;
    try {
      createSinks(cfg.sinks, { ...base, env: {} });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('E_CONFIG_INVALID');
    expect((err as AppError).message).toBe('notify.sinks.team.urlEnv: environment variable DISCORD_URL is not set');
  });

  it('refuses a non-http URL coming from the environment', () => {
    const cfg = NotifyConfig.parse({ sinks: { team: { type: 'slack', urlEnv: 'SLACK_URL' } } });
    expect(() => createSinks(cfg.sinks, { ...base, env: { SLACK_URL: 'file:///etc/shadow' } })).toThrow(/notify\.sinks\.team\.url: must be http\(s\)/);
  });

  it('collects inline URLs and webhook secrets as known secrets', () => {
    const cfg = NotifyConfig.parse({ sinks: { d: { type: 'discord', url: 'https://discord.com/api/webhooks/1/abc' }, w: { type: 'webhook', url: 'https://h.lan/x', secretEnv: 'S' } } });
    expect(collectSinkSecrets(cfg.sinks, { S: 'hmac-secret' })).toEqual(['https://discord.com/api/webhooks/1/abc', 'https://h.lan/x', 'hmac-secret']);
  });
});
