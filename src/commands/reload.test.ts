import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCaller, makeTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { listIntents } from './intents.js';
import { reloadFromDisk } from './reload.js';

const intent = (name: string, action = 'status') => `apiVersion: oresi.dev/v1\nkind: Intent\nname: ${name}\nstack: web\nsteps:\n  - action: ${action}\n`;

describe('reloadFromDisk', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await makeTestApp({ stacks: { web: 'services:\n  app:\n    image: busybox\n' }, intents: { 'a.yaml': intent('a') } });
  });
  afterAll(async () => app?.close());

  it('picks up new intents and new .env secrets, and audits the reload', async () => {
    const secret = 'freshly-pulled-secret-value-42';
    await writeFile(join(app.root, 'intents', 'b.yaml'), intent('b'));
    await writeFile(join(app.stacksRoot, 'web', '.env'), `TOKEN=${secret}\n`);
    expect(app.ctx.redactor.redact(secret)).toBe(secret);
    const r = await reloadFromDisk(app.ctx, 'test');
    expect(r).toEqual({ ok: true, intents: 2, changed: true });
    expect(listIntents(app.ctx, adminCaller).map((i) => i.name)).toEqual(['a', 'b']);
    expect(app.ctx.redactor.redact(`x ${secret} y`)).toBe('x ***REDACTED*** y');
    expect(app.ctx.audit.list({ limit: 100 }).at(-1)).toMatchObject({ type: 'config.loaded', data: { reason: 'test', intents: 2, changed: true } });
  });

  it('a broken intent file keeps the previous catalog and says why', async () => {
    await writeFile(join(app.root, 'intents', 'c.yaml'), 'command: "rm -rf /"\n');
    const r = await reloadFromDisk(app.ctx, 'test');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/c\.yaml/);
    expect(listIntents(app.ctx, adminCaller).map((i) => i.name)).toEqual(['a', 'b']);
  });
});
