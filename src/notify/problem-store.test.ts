import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { startRecordingServer, type RecordingServer } from '../../test/stand-ins/sinks.js';
import { alertFromDrift } from './events.js';
import { writeFile } from 'node:fs/promises';
import type { Logger } from '../model.js';
import { createSqliteProblemStore, openProblemStore } from './problem-store.js';
import { createSuppression, type ProblemStore } from './suppression.js';

let dir: string;
const opened: ProblemStore[] = [];
const store = (): ProblemStore => {
  const s = createSqliteProblemStore(join(dir, 'alerts.db'));
  opened.push(s);
  return s;
};
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'oresi-problems-')); });
afterEach(async () => {
  for (const s of opened.splice(0)) s.close();
  await rm(dir, { recursive: true, force: true });
});

const drift = (at: string, findings: string[] = ['web: replica_mismatch']) => alertFromDrift({ stack: 'media', findings, at });

describe('open problems shared through <dataDir>/alerts.db', () => {
  it('a problem announced by one process is a repeat for another, which can announce the recovery', () => {
    const server = createSuppression(100, store());
    const cron = createSuppression(100, store());
    expect(server.decide(drift('2026-11-29T10:00:00Z')).send).toBe(true);
    expect(cron.decide(drift('2026-11-29T10:05:00Z'))).toEqual({ send: false, reason: 'suppressed' });
    expect(cron.decide(drift('2026-11-29T10:10:00Z'))).toEqual({ send: false, reason: 'suppressed' });
    const recovered = server.decide(drift('2026-11-29T10:15:00Z', []));
    expect(recovered.send).toBe(true);
    if (!recovered.send) return;
    expect(recovered.event.title).toBe('Recovered: No drift: stack media');
    expect(recovered.event.recovered).toEqual({ since: '2026-11-29T10:00:00Z', suppressed: 2 });
    // Clean again, and nothing was open: a clean check says nothing.
    expect(cron.decide(drift('2026-11-29T10:20:00Z', []))).toEqual({ send: false, reason: 'quiet' });
  });

  it('survives a restart, and stays bounded by forgetting the problem opened first', () => {
    const first = store();
    const before = createSuppression(2, first);
    for (const stack of ['a', 'b']) expect(before.decide(alertFromDrift({ stack, findings: ['x'], at: 't0' })).send).toBe(true);
    first.close();
    opened.splice(opened.indexOf(first), 1);

    const after = createSuppression(2, store());
    expect(after.open()).toBe(2);
    expect(after.decide(alertFromDrift({ stack: 'a', findings: ['x'], at: 't1' })).send).toBe(false);
    expect(after.decide(alertFromDrift({ stack: 'c', findings: ['x'], at: 't1' })).send).toBe(true);
    expect(after.open()).toBe(2);
    // 'a' was opened first, so it was forgotten to make room: it is announced again.
    expect(after.decide(alertFromDrift({ stack: 'a', findings: ['x'], at: 't2' })).send).toBe(true);
  });
});

describe('an unusable alerts.db', () => {
  it('is reported and replaced by memory, so alerts still go out', async () => {
    const path = join(dir, 'alerts.db');
    await writeFile(path, 'this is not a database, it is a text file long enough to have a header page\n'.repeat(20));
    const warnings: unknown[] = [];
    const logger: Logger = { info: () => {}, warn: (obj) => { warnings.push(obj); }, error: () => {} };
    const s = openProblemStore(path, logger);
    opened.push(s);
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0])).toContain('alerts.db');
    const suppression = createSuppression(10, s);
    expect(suppression.decide(drift('t0')).send).toBe(true);
    expect(suppression.decide(drift('t1')).send).toBe(false);
  });
});

describe('two oresi processes on one data directory', () => {
  let sink: RecordingServer;
  const apps: TestApp[] = [];
  beforeEach(async () => { sink = await startRecordingServer(); });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await sink.close();
  });

  const app = async (dataDir: string) => {
    const a = await makeTestApp({
      stacks: {}, intents: {},
      config: {
        dataDir,
        notify: { sinks: { hook: { type: 'webhook', url: `${sink.url}/hook` } }, routes: [{ events: ['drift.found'], sinks: ['hook'] }] },
      },
    });
    apps.push(a);
    return a;
  };

  it('a standing drift is announced once, not by every cron run, and its recovery once', async () => {
    const dataDir = join(dir, 'data');
    const serve = await app(dataDir);
    const cron1 = await app(dataDir);
    serve.ctx.alerts.notify(drift('2026-11-29T10:00:00Z'));
    await serve.ctx.alerts.flush(5_000);
    cron1.ctx.alerts.notify(drift('2026-11-29T10:05:00Z'));
    await cron1.ctx.alerts.flush(5_000);
    await cron1.close();
    apps.splice(apps.indexOf(cron1), 1);
    const cron2 = await app(dataDir);
    cron2.ctx.alerts.notify(drift('2026-11-29T10:10:00Z', []));
    await cron2.ctx.alerts.flush(5_000);
    const bodies = sink.requests.map((r) => JSON.parse(r.body) as { event: { title: string } });
    expect(bodies.map((b) => b.event.title)).toEqual(['Drift: stack media (1 finding)', 'Recovered: No drift: stack media']);
  });
});
