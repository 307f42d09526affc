import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type RecordingServer, type Responder, startRecordingServer } from '../../test/stand-ins/sinks.js';
import { DISCORD_LIMITS, createDiscordSink } from './discord.js';
import type { AlertEvent } from './events.js';
import { HEALTHCHECKS_BODY_MAX_BYTES, createHealthchecksSink } from './healthchecks.js';
import { createKumaSink } from './kuma.js';
import { NTFY_MESSAGE_MAX_BYTES, createNtfySink } from './ntfy.js';
import type { SinkDeps } from './sink-types.js';
import { SLACK_LIMITS, createSlackSink } from './slack.js';
import { createWebhookSink } from './webhook.js';

const NOW = Date.UTC(2024, 4, 1, 12, 0, 0);
const deps: SinkDeps = { fetch: globalThis.fetch, now: () => NOW };
const RUN_ID = '6f1c2a9e-1b2c-4d3e-8f90-0a1b2c3d4e5f';

const servers: RecordingServer[] = [];
async function server(respond?: Responder): Promise<RecordingServer> {
  const s = await startRecordingServer(respond);
  servers.push(s);
  return s;
}
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

function failed(patch: Partial<AlertEvent> = {}): AlertEvent {
  return {
    kind: 'run.failed', severity: 'critical', status: 'problem', title: 'Failed: restart-plex on stack media',
    text: 'Step 2 ended failed.', dedupeKey: 'run:restart-plex', at: '2024-05-01T12:00:00.000Z', runId: RUN_ID,
    stack: 'media', intent: 'restart-plex', fields: { 'exit code': '1', stack: 'media' }, logExcerpt: 'error: container exited', durationMs: 1234, ...patch,
  };
}
const succeeded = (patch: Partial<AlertEvent> = {}): AlertEvent =>
  failed({ kind: 'run.succeeded', severity: 'info', status: 'ok', title: 'Succeeded: restart-plex', logExcerpt: undefined, ...patch });

describe('discord sink', () => {
  it('POSTs embeds coloured by severity, with fields, timestamp, log embed and no mentions', async () => {
    const s = await server();
    const res = await createDiscordSink({ name: 'd', url: `${s.url}/api/webhooks/1/tok`, timeoutMs: 2000, username: 'oresi' }, deps).send(failed());
    expect(res).toEqual({ ok: true, status: 204 });
    const [req] = s.requests;
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe('/api/webhooks/1/tok');
    expect(req?.headers['content-type']).toBe('application/json');
    const body = JSON.parse(req?.body ?? '');
    expect(body.username).toBe('oresi');
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.embeds[0]).toMatchObject({ title: 'Failed: restart-plex on stack media', color: 0xe74c3c, timestamp: '2024-05-01T12:00:00.000Z' });
    expect(body.embeds[0].fields).toContainEqual({ name: 'exit code', value: '1', inline: true });
    expect(body.embeds[1].description).toContain('error: container exited');
  });

  it('keeps every embed within Discord limits for huge alerts', async () => {
    const s = await server();
    const big = 'é'.repeat(9000);
    const fields = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}${'n'.repeat(300)}`, big]));
    await createDiscordSink({ name: 'd', url: s.url, timeoutMs: 2000 }, deps).send(failed({ title: big, text: big, fields, logExcerpt: big + 'LAST' }));
    const body = JSON.parse(s.requests[0]?.body ?? '');
    let total = 0;
    expect(body.embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embeds);
    for (const e of body.embeds) {
      expect(e.title.length).toBeLessThanOrEqual(256);
      expect((e.description ?? '').length).toBeLessThanOrEqual(4096);
      expect((e.fields ?? []).length).toBeLessThanOrEqual(25);
      for (const f of e.fields ?? []) {
        expect(f.name.length).toBeLessThanOrEqual(256);
        expect(f.value.length).toBeLessThanOrEqual(1024);
      }
      total += e.title.length + (e.description ?? '').length + (e.footer?.text.length ?? 0)
        + (e.fields ?? []).reduce((n: number, f: { name: string; value: string }) => n + f.name.length + f.value.length, 0);
    }
    expect(total).toBeLessThanOrEqual(DISCORD_LIMITS.total);
  });
});

describe('slack sink', () => {
  it('POSTs {text, blocks} with escaped markup and a log code block', async () => {
    const s = await server((_r) => ({ status: 200, body: 'ok' }));
    const res = await createSlackSink({ name: 's', url: `${s.url}/services/T/B/X`, timeoutMs: 2000 }, deps).send(failed({ text: 'ping <!channel> & co' }));
    expect(res.ok).toBe(true);
    const body = JSON.parse(s.requests[0]?.body ?? '');
    expect(body.text).toBe(':red_circle: Failed: restart-plex on stack media');
    expect(body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Failed: restart-plex on stack media', emoji: true } });
    expect(body.blocks[1].text.text).toBe('ping &lt;!channel&gt; &amp; co');
    expect(JSON.stringify(body.blocks)).toContain('```\\nerror: container exited\\n```');
  });

  it('respects block limits', async () => {
    const s = await server(() => ({ status: 200 }));
    const big = '<'.repeat(5000);
    const fields = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`k${i}`, big]));
    await createSlackSink({ name: 's', url: s.url, timeoutMs: 2000 }, deps).send(failed({ title: big, text: big, fields, logExcerpt: big }));
    const body = JSON.parse(s.requests[0]?.body ?? '');
    expect(body.text.length).toBeLessThanOrEqual(SLACK_LIMITS.text);
    expect(body.blocks[0].text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.header);
    for (const b of body.blocks) {
      if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      if (b.fields) {
        expect(b.fields.length).toBeLessThanOrEqual(SLACK_LIMITS.fields);
        for (const f of b.fields) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
      }
    }
  });
});

describe('uptime kuma sink', () => {
  it('GETs the push URL with status, msg ≤ 250 and ping, replacing the copied defaults', async () => {
    const s = await server(() => ({ status: 200, body: '{"ok":true}' }));
    const sink = createKumaSink({ name: 'k', url: `${s.url}/api/push/AbC123?status=up&msg=OK&ping=&keep=1`, timeoutMs: 2000 }, deps);
    await sink.send(failed({ title: 'x'.repeat(400) }));
    await sink.send(succeeded({ durationMs: undefined }));
    const [down, up] = s.requests.map((r) => new URL(r.path, s.url));
    expect(s.requests[0]?.method).toBe('GET');
    expect(down?.pathname).toBe('/api/push/AbC123');
    expect(down?.searchParams.get('status')).toBe('down');
    expect(down?.searchParams.get('msg')?.length).toBe(250);
    expect(down?.searchParams.get('ping')).toBe('1234');
    expect(down?.searchParams.get('keep')).toBe('1');
    expect(up?.searchParams.get('status')).toBe('up');
    expect(up?.searchParams.get('msg')).toBe('Succeeded: restart-plex');
    expect(up?.searchParams.has('ping')).toBe(false);
  });
});

describe('healthchecks sink', () => {
  it('pings /start, success and /fail with the run id and the log as body', async () => {
    const s = await server(() => ({ status: 200, body: 'OK' }));
    const sink = createHealthchecksSink({ name: 'h', url: `${s.url}/ping/uuid-1`, timeoutMs: 2000 }, deps);
    await sink.send(failed({ kind: 'run.started', status: 'event', severity: 'info', logExcerpt: undefined }));
    await sink.send(succeeded());
    await sink.send(failed());
    await sink.send(failed({ kind: 'security.event', status: 'event', runId: undefined }));
    expect(s.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /ping/uuid-1/start?rid=${RUN_ID}`, `POST /ping/uuid-1?rid=${RUN_ID}`, `POST /ping/uuid-1/fail?rid=${RUN_ID}`, 'POST /ping/uuid-1/log',
    ]);
    expect(s.requests[2]?.body).toContain('error: container exited');
  });

  it('cuts the body to 100 kB keeping the end of the log', async () => {
    const s = await server(() => ({ status: 200 }));
    await createHealthchecksSink({ name: 'h', url: s.url, timeoutMs: 2000 }, deps).send(failed({ logExcerpt: 'ü'.repeat(200_000) + 'TAIL' }));
    expect(s.requests[0]?.raw.length).toBeLessThanOrEqual(HEALTHCHECKS_BODY_MAX_BYTES);
    expect(s.requests[0]?.body.endsWith('TAIL')).toBe(true);
  });
});

describe('ntfy sink', () => {
  it('POSTs to /<topic> with Title, Priority, Tags and a bearer token', async () => {
    const s = await server(() => ({ status: 200, body: '{}' }));
    const sink = createNtfySink({ name: 'n', url: s.url, topic: 'oresi-alerts', timeoutMs: 2000, tags: ['homelab'], token: 'tk_abc' }, deps);
    await sink.send(failed({ title: 'Fehlgeschlagen: ü' }));
    await sink.send(succeeded());
    const [first, second] = s.requests;
    expect(first?.path).toBe('/oresi-alerts');
    expect(first?.headers.priority).toBe('5');
    expect(first?.headers.tags).toBe('rotating_light,homelab');
    expect(first?.headers.authorization).toBe('Bearer tk_abc');
    expect(first?.headers.title).toBe(`=?UTF-8?B?${Buffer.from('Fehlgeschlagen: ü').toString('base64')}?=`);
    expect(first?.body).toContain('error: container exited');
    expect(second?.headers.priority).toBe('3');
    expect(second?.headers.title).toBe('Succeeded: restart-plex');
  });

  it('keeps the message under ntfy attachment threshold', async () => {
    const s = await server(() => ({ status: 200 }));
    await createNtfySink({ name: 'n', url: s.url, topic: 't', timeoutMs: 2000 }, deps).send(failed({ text: '€'.repeat(5000), logExcerpt: '€'.repeat(5000) }));
    expect(s.requests[0]?.raw.length).toBeLessThanOrEqual(NTFY_MESSAGE_MAX_BYTES);
  });
});

describe('generic webhook sink', () => {
  it('signs the raw body with HMAC-SHA256 and repeats the timestamp inside it', async () => {
    const s = await server(() => ({ status: 202 }));
    const secret = 'whsec-test-0123456789';
    await createWebhookSink({ name: 'w', url: `${s.url}/hook`, timeoutMs: 2000, secret }, deps).send(failed());
    const req = s.requests[0];
    const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(req?.raw ?? Buffer.alloc(0)).digest('hex')}`);
    const got = Buffer.from(String(req?.headers['x-oresi-signature']));
    expect(got.length).toBe(expected.length);
    expect(timingSafeEqual(got, expected)).toBe(true);
    const body = JSON.parse(req?.body ?? '');
    expect(req?.headers['x-oresi-timestamp']).toBe(String(NOW / 1000));
    expect(body.timestamp).toBe(NOW / 1000);
    expect(body.id).toBe(req?.headers['x-oresi-delivery']);
    expect(body.event).toMatchObject({ kind: 'run.failed', runId: RUN_ID });
  });

  it('a wrong secret does not verify, and no secret means no signature header', async () => {
    const s = await server(() => ({ status: 200 }));
    await createWebhookSink({ name: 'w', url: s.url, timeoutMs: 2000, secret: 'right-secret' }, deps).send(failed());
    await createWebhookSink({ name: 'w', url: s.url, timeoutMs: 2000 }, deps).send(failed());
    const wrong = `sha256=${createHmac('sha256', 'wrong-secret').update(s.requests[0]?.raw ?? Buffer.alloc(0)).digest('hex')}`;
    expect(s.requests[0]?.headers['x-oresi-signature']).not.toBe(wrong);
    expect(s.requests[1]?.headers['x-oresi-signature']).toBeUndefined();
  });
});
