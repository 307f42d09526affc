import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RecordingServer, type Responder, startRecordingServer } from '../../test/stand-ins/sinks.js';
import { createSqliteAuditStore } from '../audit/sqlite-store.js';
import type { AuditEventInput, AuditStore } from '../audit/types.js';
import type { Logger } from '../model.js';
import { createRedactor } from '../policy/redact.js';
import { createDiscordSink } from './discord.js';
import { type Notifier, type NotifierDeps, createNotifier } from './dispatcher.js';
import { type AlertEvent, alertFromDrift } from './events.js';
import type { RouteConfig } from '../config/notify-schema.js';
import type { SendResult, Sink } from './sink-types.js';
import { createWebhookSink } from './webhook.js';

let dir: string;
let audit: AuditStore;
const servers: RecordingServer[] = [];
const sinkDeps = { fetch: globalThis.fetch, now: () => Date.UTC(2024, 0, 1) };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'oresi-notify-'));
  audit = createSqliteAuditStore({ path: join(dir, 'audit.db'), now: () => Date.UTC(2024, 0, 1) });
});
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  audit.close();
  rmSync(dir, { recursive: true, force: true });
});

async function server(respond?: Responder): Promise<RecordingServer> {
  const s = await startRecordingServer(respond);
  servers.push(s);
  return s;
}

function recordingLogger(): Logger & { lines: Array<{ level: string; obj: object; msg?: string }> } {
  const lines: Array<{ level: string; obj: object; msg?: string }> = [];
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, obj, ...(msg !== undefined ? { msg } : {}) });
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

const allRoute: RouteConfig[] = [{ events: ['run.failed', 'run.succeeded', 'run.rolled_back', 'run.started', 'drift.found', 'security.event', 'approval.requested'], sinks: ['hook'] }];

function notifier(sinks: Record<string, Sink>, patch: Partial<NotifierDeps> = {}): Notifier & { delays: number[] } {
  const delays: number[] = [];
  const n = createNotifier({
    sinks,
    routes: allRoute,
    retry: { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 },
    queueSize: 1000,
    redactor: createRedactor(),
    audit,
    logger: recordingLogger(),
    // Records the backoff instead of waiting it: bounded time without timed assertions.
    sleep: async (ms) => void delays.push(ms),
    ...patch,
  });
  return Object.assign(n, { delays });
}

function alert(patch: Partial<AlertEvent> = {}): AlertEvent {
  return {
    kind: 'run.failed', severity: 'critical', status: 'problem', title: 'Failed: backup-db on stack db', text: 'exit 1',
    dedupeKey: 'run:backup-db', at: '2024-01-01T00:00:00.000Z', runId: 'r1', stack: 'db', intent: 'backup-db', ...patch,
  };
}

const notifyRows = () => audit.list({ limit: 100 }).filter((e) => e.type.startsWith('notify.'));
const bodies = (s: RecordingServer) => s.requests.map((r) => JSON.parse(r.body).event as AlertEvent);

describe('notifier delivery', () => {
  it('delivers to the routed sink without blocking the caller, and audits it', async () => {
    const s = await server(() => ({ status: 200 }));
    const n = notifier({ hook: createWebhookSink({ name: 'hook', url: s.url, timeoutMs: 2000 }, sinkDeps) });
    n.notify(alert());
    expect(s.requests).toHaveLength(0);
    expect(n.stats().queued).toBe(1);
    expect(await n.flush(5000)).toBe(true);
    expect(bodies(s).map((e) => e.title)).toEqual(['Failed: backup-db on stack db']);
    expect(notifyRows().map((e) => [e.type, e.runId, e.actor, e.data])).toEqual([
      ['notify.delivered', 'r1', 'system', { sink: 'hook', sinkType: 'webhook', kind: 'run.failed', dedupeKey: 'run:backup-db', attempts: 1 }],
    ]);
    expect(n.stats()).toMatchObject({ delivered: 1, failed: 0, queued: 0, inFlight: 0 });
  });

  it('routes by kind and stack: unrouted alerts reach no sink', async () => {
    const s = await server(() => ({ status: 200 }));
    const n = notifier({ hook: createWebhookSink({ name: 'hook', url: s.url, timeoutMs: 2000 }, sinkDeps) }, {
      routes: [{ events: ['run.failed'], sinks: ['hook'], stacks: ['media'] }],
    });
    n.notify(alert({ stack: 'db' }));
    n.notify(alert({ stack: 'media', dedupeKey: 'run:x' }));
    n.notify(alert({ kind: 'run.succeeded', status: 'ok', stack: 'media' }));
    await n.flush(5000);
    expect(bodies(s).map((e) => e.stack)).toEqual(['media']);
    expect(n.stats().unrouted).toBe(2);
  });

  it('a sink failing with 500 is retried with backoff, then given up and audited, without throwing', async () => {
    const bad = await server(() => ({ status: 500 }));
    const good = await server(() => ({ status: 204 }));
    const n = notifier({
      hook: createWebhookSink({ name: 'hook', url: bad.url, timeoutMs: 2000 }, sinkDeps),
      team: createDiscordSink({ name: 'team', url: good.url, timeoutMs: 2000 }, sinkDeps),
    }, { routes: [{ events: ['run.failed'], sinks: ['hook', 'team'] }] });
    expect(() => n.notify(alert())).not.toThrow();
    expect(await n.flush(10_000)).toBe(true);
    expect(bad.requests).toHaveLength(5);
    expect(good.requests).toHaveLength(1);
    expect(n.delays).toHaveLength(4);
    n.delays.forEach((d, i) => {
      const exp = Math.min(30_000, 500 * 2 ** i);
      expect(d).toBeGreaterThanOrEqual(exp / 2);
      expect(d).toBeLessThanOrEqual(exp);
    });
    const rows = notifyRows().map((e) => ({ type: e.type, ...e.data }));
    expect(rows).toContainEqual(expect.objectContaining({ type: 'notify.failed', sink: 'hook', attempts: 5, reason: 'HTTP 500' }));
    expect(rows).toContainEqual(expect.objectContaining({ type: 'notify.delivered', sink: 'team', attempts: 1 }));
    expect(n.stats()).toMatchObject({ delivered: 1, failed: 1, retries: 4 });
  });

  it('429 waits at least Retry-After, then delivers', async () => {
    const s = await server((_r, i) => (i === 0 ? { status: 429, headers: { 'retry-after': '7' } } : { status: 200 }));
    const n = notifier({ hook: createWebhookSink({ name: 'hook', url: s.url, timeoutMs: 2000 }, sinkDeps) });
    n.notify(alert());
    await n.flush(5000);
    expect(s.requests).toHaveLength(2);
    expect(n.delays).toEqual([7000]);
    expect(notifyRows().map((e) => [e.type, e.data.attempts])).toEqual([['notify.delivered', 2]]);
  });

  it('a Retry-After beyond maxDelayMs ends the retries; a 404 is not retried', async () => {
    const s = await server((r) => (r.path === '/gone' ? { status: 404 } : { status: 429, headers: { 'retry-after': '3600' } }));
    const n = notifier({
      hook: createWebhookSink({ name: 'hook', url: `${s.url}/limited`, timeoutMs: 2000 }, sinkDeps),
      gone: createWebhookSink({ name: 'gone', url: `${s.url}/gone`, timeoutMs: 2000 }, sinkDeps),
    }, { routes: [{ events: ['run.failed'], sinks: ['hook', 'gone'] }] });
    n.notify(alert());
    await n.flush(5000);
    expect(s.requests).toHaveLength(2);
    expect(n.delays).toEqual([]);
    expect(notifyRows().map((e) => [e.data.sink, e.type, e.data.reason])).toEqual(expect.arrayContaining([
      ['hook', 'notify.failed', 'HTTP 429'], ['gone', 'notify.failed', 'HTTP 404'],
    ]));
  });

  it('a sink that throws, and an audit store that rejects, are logged and never thrown', async () => {
    const logger = recordingLogger();
    const broken: Sink = { name: 'hook', type: 'webhook', send: () => Promise.reject(new Error('bug')) };
    const failingAudit = { append: (_e: AuditEventInput) => Promise.reject(new Error('disk full')) };
    const n = notifier({ hook: broken }, { logger, audit: failingAudit });
    n.notify(alert());
    expect(await n.flush(5000)).toBe(true);
    expect(n.stats().failed).toBe(1);
    expect(logger.lines.map((l) => l.msg)).toEqual(['notification not delivered', 'could not audit a notification outcome']);
  });
});

describe('suppression and recovery', () => {
  it('sends the first failure, suppresses repeats, sends one recovery, then alerts again', async () => {
    const s = await server(() => ({ status: 200 }));
    const n = notifier({ hook: createWebhookSink({ name: 'hook', url: s.url, timeoutMs: 2000 }, sinkDeps) });
    n.notify(alert({ at: 't1' }));
    n.notify(alert({ at: 't2' }));
    n.notify(alert({ kind: 'run.rolled_back', severity: 'warning', at: 't3' }));
    n.notify(alert({ dedupeKey: 'run:other', intent: 'other', at: 't4' }));
    n.notify(alert({ kind: 'run.succeeded', status: 'ok', severity: 'info', title: 'Succeeded: backup-db', at: 't5' }));
    n.notify(alert({ kind: 'run.succeeded', status: 'ok', severity: 'info', title: 'Succeeded: backup-db', at: 't6' }));
    n.notify(alert({ at: 't7' }));
    await n.flush(5000);
    const sent = bodies(s);
    expect(sent.map((e) => [e.kind, e.at])).toEqual([
      ['run.failed', 't1'], ['run.failed', 't4'], ['run.succeeded', 't5'], ['run.succeeded', 't6'], ['run.failed', 't7'],
    ]);
    expect(sent[2]).toMatchObject({ title: 'Recovered: Succeeded: backup-db', recovered: { since: 't1', suppressed: 2 } });
    expect(sent[2]?.fields).toMatchObject({ 'failing since': 't1', 'repeats suppressed': '2' });
    expect(sent[3]?.recovered).toBeUndefined();
    expect(n.stats()).toMatchObject({ suppressed: 2, openProblems: 2 });
  });

  it('a clean drift check is sent only when it ends a drift', async () => {
    const s = await server(() => ({ status: 200 }));
    const n = notifier({ hook: createWebhookSink({ name: 'hook', url: s.url, timeoutMs: 2000 }, sinkDeps) });
    n.notify(alertFromDrift({ stack: 'media', findings: [], at: 't0' }));
    n.notify(alertFromDrift({ stack: 'media', findings: ['plex image differs'], at: 't1' }));
    n.notify(alertFromDrift({ stack: 'media', findings: ['plex image differs'], at: 't2' }));
    n.notify(alertFromDrift({ stack: 'media', findings: [], at: 't3' }));
    n.notify(alertFromDrift({ stack: 'media', findings: [], at: 't4' }));
    await n.flush(5000);
    expect(bodies(s).map((e) => [e.status, e.at, e.recovered !== undefined])).toEqual([['problem', 't1', false], ['ok', 't3', true]]);
  });
});

describe('bounded queue', () => {
  it('drops the oldest when full, counts, logs and audits the drop', async () => {
    const sent: string[] = [];
    const slow: Sink = {
      name: 'hook',
      type: 'webhook',
      send: async (e): Promise<SendResult> => {
        sent.push(e.at);
        return { ok: true };
      },
    };
    const logger = recordingLogger();
    const n = notifier({ hook: slow }, { queueSize: 2, logger });
    for (let i = 0; i < 5; i += 1) n.notify(alert({ status: 'event', at: `t${i}` }));
    expect(n.stats().dropped).toBe(3);
    await n.flush(5000);
    expect(sent).toEqual(['t3', 't4']);
    expect(logger.lines.filter((l) => l.msg?.startsWith('notification queue full'))).toHaveLength(3);
    const rows = notifyRows().map((e) => [e.type, e.data.reason ?? null, e.data.attempts]);
    expect(rows.filter(([t]) => t === 'notify.failed')).toEqual(Array(3).fill(['notify.failed', 'dropped: queue full', 0]));
    expect(rows.filter(([t]) => t === 'notify.delivered')).toHaveLength(2);
  });

  it('flush reports a timeout while a sink is still busy', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const stuck: Sink = { name: 'hook', type: 'webhook', send: async () => (await gate, { ok: true }) };
    const n = notifier({ hook: stuck });
    n.notify(alert());
    expect(await n.flush(20)).toBe(false);
    release();
    expect(await n.flush(5000)).toBe(true);
  });
});
