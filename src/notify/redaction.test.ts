import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordedRequest, type RecordingServer, startRecordingServer } from '../../test/stand-ins/sinks.js';
import type { AuditEventInput } from '../audit/types.js';
import type { RunView } from '../model.js';
import { createRedactor } from '../policy/redact.js';
import { createSinks } from './create-sinks.js';
import { createNotifier } from './dispatcher.js';
import { alertFromRun } from './events.js';
import { NotifyConfig } from '../config/notify-schema.js';

/**
 * Invariant 6 (redaction at the boundary) for alerts: a secret anywhere in a run — its output,
 * its reason, its parameters — never reaches any sink, whatever its position in a long log
 * (so a sink's cut cannot slice a secret into an unrecognisable half).
 */
let s: RecordingServer;
beforeAll(async () => {
  s = await startRecordingServer(() => ({ status: 200 }));
});
afterAll(async () => {
  await s.close();
});

function allSinks(url: string) {
  const cfg = NotifyConfig.parse({
    sinks: {
      discord: { type: 'discord', url: `${url}/discord` },
      slack: { type: 'slack', url: `${url}/slack` },
      kuma: { type: 'kuma', url: `${url}/api/push/tok` },
      hc: { type: 'healthchecks', url: `${url}/hc` },
      phone: { type: 'ntfy', url, topic: 'alerts' },
      hook: { type: 'webhook', url: `${url}/hook`, secretEnv: 'HOOK_SECRET' },
    },
    routes: [{ events: ['run.failed'], sinks: ['discord', 'slack', 'kuma', 'hc', 'phone', 'hook'] }],
  });
  return { cfg, sinks: createSinks(cfg.sinks, { fetch: globalThis.fetch, now: () => 0, env: { HOOK_SECRET: 'hmac-key-xyz' } }) };
}

/** Every decoding a receiver might apply: raw, URL-decoded, JSON-decoded, RFC 2047-decoded. */
function views(r: RecordedRequest): string[] {
  const out = [r.body, r.path, JSON.stringify(r.headers)];
  try {
    out.push(decodeURIComponent(r.path.replace(/\+/g, ' ')));
  } catch {
    // A cut inside a %-escape cannot hide a whole secret.
  }
  try {
    out.push(JSON.stringify(JSON.parse(r.body), (_k, v: unknown) => v).replace(/\\(.)/g, '$1'));
    collectStrings(JSON.parse(r.body), out);
  } catch {
    // Not JSON (ntfy, healthchecks): the raw body is the text.
  }
  const title = r.headers.title;
  const m = typeof title === 'string' ? /^=\?UTF-8\?B\?(.*)\?=$/.exec(title) : null;
  if (m?.[1]) out.push(Buffer.from(m[1], 'base64').toString('utf8'));
  return out;
}

function collectStrings(v: unknown, out: string[]): void {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => collectStrings(x, out));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => collectStrings(x, out));
}

function leakyRun(secret: string, pad: number): RunView {
  return {
    id: 'run-1', intent: 'backup-db', stack: 'db', state: 'failed', requestedBy: 'alice', source: 'http',
    reason: `rotate ${secret} now`, params: { token: secret }, planHash: 'h',
    steps: [{
      index: 0, intent: 'backup-db', stack: 'db', action: 'up', argv: ['docker'], description: `dump using ${secret}`,
      outcome: 'failed', exitCode: 1, durationMs: 5, stdout: '', truncated: false,
      // Unredacted here (run-view.ts redacts step output before it is stored), so the notifier's
      // own boundary is what is tested. alertFromRun keeps a tail of this; a tail cut through a
      // secret could leave its suffix — only safe because real RunView output is pre-redacted.
      stderr: `${'.'.repeat(pad)}auth failed for ${secret}\n${'x'.repeat(pad % 977)}`,
    }],
    createdAt: 't', updatedAt: 't', finishedAt: 't',
  };
}

describe('alerts never carry a secret', () => {
  it('for random secrets at random positions, through all six sinks', async () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9!#%&()*+,.:;<=>?@^_{|}~-]{8,40}$/)
      // The marker is public; a "secret" that is part of it is ignored by the redactor by design.
      .filter((v) => !'***REDACTED***'.includes(v) && !/^[.x]+$/.test(v));
    await fc.assert(fc.asyncProperty(secret, fc.integer({ min: 0, max: 20_000 }), async (value, pad) => {
      s.requests.length = 0;
      const { cfg, sinks } = allSinks(s.url);
      const audited: AuditEventInput[] = [];
      const n = createNotifier({
        sinks, routes: cfg.routes, retry: cfg.retry, queueSize: 10,
        redactor: createRedactor({ secrets: [value] }),
        audit: { append: async (e) => (audited.push(e), {} as never) },
        logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
        sleep: async () => undefined,
      });
      const event = alertFromRun(leakyRun(value, pad));
      expect(event?.title).toBeDefined();
      n.notify({ ...(event as NonNullable<typeof event>), fields: { ...event?.fields, token: value } });
      expect(await n.flush(10_000)).toBe(true);
      expect(s.requests).toHaveLength(6);
      for (const r of s.requests) for (const v of views(r)) expect(v).not.toContain(value);
      expect(JSON.stringify(audited)).not.toContain(value);
    }), { numRuns: 25 });
  });
});
