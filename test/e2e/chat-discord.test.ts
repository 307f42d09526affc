import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerChatRoutes } from '../../src/chat/routes.js';
import { ChatConfig } from '../../src/config/chat-schema.js';
import { createServer, stopServer } from '../../src/http/server.js';
import { countingSys, makeTestApp, type TestApp } from '../helpers/test-app.js';
import { APP_ID, buttonInteraction, discordKeyPair, slashInteraction, startRecordingServer, type RecordedCall, type RecordingServer } from '../stand-ins/discord.js';
import { ENGINE_UP, describeEngine, removeProject, uniqueProjectName } from './engine.js';

/**
 * The Discord interactions endpoint over a real socket: real Ed25519 signatures, a local Discord
 * API stand-in receiving the follow-ups, and (where the engine is up) real compose runs.
 */
const ALICE = '111111111111111111';
const BOB = '222222222222222222';
const MALLORY = '333333333333333333';
const CAROL = '444444444444444444';
const VIEWER_ROLE = '555555555555555555';

const stack = uniqueProjectName('chatdiscord');
const keys = discordKeyPair();
const otherKeys = discordKeyPair();
let test: TestApp;
let sys: ReturnType<typeof countingSys>;
let app: FastifyInstance;
let discord: RecordingServer;
let base = '';
let pinnedMs: number | undefined;

const intent = (name: string, extra = '') => `apiVersion: oresi.dev/v1\nkind: Intent\nname: ${name}\nstack: ${stack}\ntimeoutSeconds: 120\n${extra}steps:\n  - action: status\n`;

beforeAll(async () => {
  discord = await startRecordingServer();
  test = await makeTestApp({
    stacks: { [stack]: 'services:\n  web:\n    image: busybox\n    network_mode: none\n    command: ["sleep", "600"]\n' },
    intents: { 'status.yaml': intent('status'), 'guarded.yaml': intent('guarded', 'approval: { quorum: 1 }\n') },
    config: {
      roles: { ops: { approve: true }, viewer: { readOnly: true } },
      principals: [{ name: 'alice', roles: ['ops'] }, { name: 'bob', roles: ['ops'] }, { name: 'carol', roles: ['viewer'] }],
    },
    // The clock is pinned only around the replay-window tests, so the ±301 s edge is exact.
    sys: (real) => (sys = countingSys({ ...real, now: () => pinnedMs ?? real.now() })),
  });
  const chat = ChatConfig.parse({
    discord: { publicKey: keys.publicKeyHex, applicationId: APP_ID, apiUrl: `${discord.url}/api/v10`, users: { [ALICE]: 'alice', [BOB]: 'bob' }, roles: { [VIEWER_ROLE]: 'carol' } },
  });
  app = await createServer(test.ctx, { logger: { level: 'silent' }, version: 'e2e' });
  await registerChatRoutes(app, test.ctx, { chat, progressMs: 20 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  base = `http://127.0.0.1:${addr.port}`;
});

afterAll(async () => {
  if (app) await stopServer(app, test.ctx, 30_000);
  if (ENGINE_UP) await removeProject(stack);
  await discord?.close();
  await test?.close();
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

interface Sent { status: number; body: Record<string, any> } // eslint-disable-line @typescript-eslint/no-explicit-any

async function post(raw: string, headers: Record<string, string>): Promise<Sent> {
  const res = await fetch(`${base}/v1/chat/discord`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Signs and sends; returns the exact bytes and headers too, for replays. */
async function send(interaction: object, opts: { ts?: number; signer?: typeof keys } = {}) {
  const raw = JSON.stringify(interaction);
  const ts = String(opts.ts ?? nowSeconds());
  const headers = { 'x-signature-ed25519': (opts.signer ?? keys).sign(ts, raw), 'x-signature-timestamp': ts };
  return { ...(await post(raw, headers)), raw, headers };
}

const original = (token: string) => (c: RecordedCall) => c.method === 'PATCH' && c.path === `/api/v10/webhooks/${APP_ID}/${token}/messages/@original`;
const finalEdit = (token: string, state: string) => (c: RecordedCall) => original(token)(c) && String(c.body?.content).includes(`**${state}**`);
const runsCount = () => test.ctx.audit.listRuns({ limit: 200 }).runs.length;

describe('Discord: signatures and identity', () => {
  it('answers PING with PONG', async () => {
    const res = await send({ id: '1', application_id: APP_ID, type: 1, token: 't', version: 1 });
    expect(res).toMatchObject({ status: 200, body: { type: 1 } });
  });

  it('refuses a missing, foreign or mismatched signature with 401 and the standard error body', async () => {
    const ping = JSON.stringify({ id: '2', application_id: APP_ID, type: 1, token: 't', version: 1 });
    const ts = String(nowSeconds());
    const missing = await post(ping, {});
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('E_UNAUTHENTICATED');
    expect(typeof missing.body.requestId).toBe('string');
    expect((await send(JSON.parse(ping), { signer: otherKeys })).status).toBe(401);
    // Signed over one body, sent with another (one byte changed).
    const sig = keys.sign(ts, ping);
    expect((await post(ping.replace('"2"', '"3"'), { 'x-signature-ed25519': sig, 'x-signature-timestamp': ts })).status).toBe(401);
    // The signature covers the timestamp too.
    expect((await post(ping, { 'x-signature-ed25519': sig, 'x-signature-timestamp': String(Number(ts) - 1) })).status).toBe(401);
    expect((await post(ping, { 'x-signature-ed25519': 'zz', 'x-signature-timestamp': ts })).status).toBe(401);
  });

  it('refuses timestamps outside ±300 s even when correctly signed', async () => {
    const ping = { id: '4', application_id: APP_ID, type: 1, token: 't', version: 1 };
    const now = nowSeconds();
    pinnedMs = now * 1000;
    try {
      expect((await send(ping, { ts: now - 301 })).status).toBe(401);
      expect((await send(ping, { ts: now + 301 })).status).toBe(401);
      expect((await send(ping, { ts: now - 300 })).status).toBe(200);
      expect((await send(ping, { ts: now + 300 })).status).toBe(200);
    } finally {
      pinnedMs = undefined;
    }
  });

  it('an unmapped user gets an ephemeral "not allowed" and nothing runs', async () => {
    const before = { runs: runsCount(), spawns: sys.spawns.length, calls: discord.calls.length };
    const res = await send(slashInteraction(MALLORY, 'run', { intent: 'status' }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(res.body.data.content).toMatch(/not allowed/);
    expect([runsCount(), sys.spawns.length, discord.calls.length]).toEqual([before.runs, before.spawns, before.calls]);
  });

  it('defers, then edits the original message with the answer (plan shows argv, runs nothing)', async () => {
    const spawns = sys.spawns.length;
    const i = slashInteraction(ALICE, 'plan', { intent: 'status' });
    const res = await send(i);
    expect(res.body).toEqual({ type: 5, data: { flags: 64 } });
    const edit = await discord.waitFor(original(i.token), 'plan follow-up');
    expect(edit.body.content).toContain(`--project-name ${stack}`);
    expect(edit.body.allowed_mentions).toEqual({ parse: [] });
    expect(sys.spawns.length).toBe(spawns);
  });

  it('a principal mapped through a Discord role is held to that role (read-only cannot run)', async () => {
    const before = runsCount();
    const i = slashInteraction(CAROL, 'run', { intent: 'status' }, [VIEWER_ROLE]);
    expect((await send(i)).body.type).toBe(5);
    const edit = await discord.waitFor(original(i.token), 'refusal follow-up');
    expect(edit.body.content).toMatch(/refused.*E_FORBIDDEN/);
    expect(runsCount()).toBe(before);
  });

  it('bad params are answered at once, ephemerally, and nothing is deferred', async () => {
    const res = await send(slashInteraction(ALICE, 'run', { intent: 'status', params: 'replicas' }));
    expect(res.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(res.body.data.content).toMatch(/key=value/);
  });

  it('a replayed interaction is not handled twice', async () => {
    const i = slashInteraction(ALICE, 'intents');
    const first = await send(i);
    expect(first.body.type).toBe(5);
    await discord.waitFor(original(i.token), 'intents follow-up');
    const replay = await post(first.raw, first.headers);
    expect(replay.status).toBe(200);
    expect(replay.body.data.content).toMatch(/already handled/);
    expect(discord.calls.filter(original(i.token))).toHaveLength(1);
  });
});

describeEngine('Discord: runs on the real engine', () => {
  it('a slash run is acknowledged, then the message ends with the final state', async () => {
    const i = slashInteraction(ALICE, 'run', { intent: 'status', reason: 'chat e2e' });
    const res = await send(i);
    expect(res.body).toEqual({ type: 5 });
    const edit = await discord.waitFor(finalEdit(i.token, 'succeeded'), 'final edit');
    const id = /run `([^`]+)`/.exec(edit.body.content)?.[1] ?? '';
    const row = test.ctx.audit.getRun(id);
    expect(row).toMatchObject({ state: 'succeeded', requestedBy: 'alice', source: 'chat', reason: 'chat e2e' });
    const requested = test.ctx.audit.list({ runId: id, limit: 50 }).find((e) => e.type === 'run.requested');
    expect(requested?.data).toMatchObject({ via: 'discord', keyId: `discord:${ALICE}` });
  });

  it('a replayed run interaction executes once', async () => {
    const before = runsCount();
    const i = slashInteraction(ALICE, 'run', { intent: 'status' });
    const first = await send(i);
    const replays = await Promise.all([post(first.raw, first.headers), post(first.raw, first.headers)]);
    expect(replays.map((r) => r.body.data?.content)).toEqual([expect.stringMatching(/already handled/), expect.stringMatching(/already handled/)]);
    await discord.waitFor(finalEdit(i.token, 'succeeded'), 'final edit');
    expect(runsCount()).toBe(before + 1);
  });

  it('approval buttons: the requester\'s press does not count, a second approver\'s starts the run', async () => {
    const i = slashInteraction(ALICE, 'run', { intent: 'guarded' });
    await send(i);
    const pending = await discord.waitFor(finalEdit(i.token, 'pending_approval'), 'pending message');
    const buttons = pending.body.components[0].components as Array<{ custom_id: string; label: string }>;
    expect(buttons.map((b) => b.label)).toEqual(['Approve', 'Deny']);
    const approveId = buttons[0]?.custom_id ?? '';
    const runId = approveId.split(':')[2] ?? '';
    expect(approveId).toBe(`oresi:approve:${runId}`);

    const own = buttonInteraction(ALICE, approveId);
    expect((await send(own)).body).toEqual({ type: 6 });
    const notice = await discord.waitFor((c) => c.method === 'POST' && c.path === `/api/v10/webhooks/${APP_ID}/${own.token}`, 'ephemeral notice');
    expect(notice.body).toMatchObject({ flags: 64 });
    expect(notice.body.content).toMatch(/cannot approve/);
    expect(discord.calls.filter(original(own.token))).toHaveLength(0);
    expect(test.ctx.audit.getRun(runId)?.state).toBe('pending_approval');

    const other = buttonInteraction(BOB, approveId);
    expect((await send(other)).body).toEqual({ type: 6 });
    const done = await discord.waitFor(finalEdit(other.token, 'succeeded'), 'approved run final edit');
    expect(done.body.components).toEqual([]);
    expect(test.ctx.audit.getRun(runId)?.state).toBe('succeeded');
    const granted = test.ctx.audit.list({ runId, limit: 50 }).filter((e) => e.type === 'approval.granted').map((e) => e.actor);
    expect(granted).toEqual(['bob']);
  });

  it('the Deny button ends a pending run without running it', async () => {
    const i = slashInteraction(ALICE, 'run', { intent: 'guarded' });
    await send(i);
    const pending = await discord.waitFor(finalEdit(i.token, 'pending_approval'), 'pending message');
    const denyId = pending.body.components[0].components[1].custom_id as string;
    const press = buttonInteraction(BOB, denyId);
    await send(press);
    await discord.waitFor(finalEdit(press.token, 'denied'), 'denied edit');
    expect(test.ctx.audit.getRun(denyId.split(':')[2] ?? '')?.state).toBe('denied');
  });
});
