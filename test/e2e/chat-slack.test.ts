import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatConfig } from '../../src/config/chat-schema.js';
import { registerChatRoutes } from '../../src/chat/routes.js';
import { createServer, stopServer } from '../../src/http/server.js';
import { countingSys, makeTestApp, type TestApp } from '../helpers/test-app.js';
import type { RecordedCall } from '../stand-ins/discord.js';
import { buttonForm, slackHeaders, slashForm, startSlackStandIn, type SlackStandIn } from '../stand-ins/slack.js';
import { ENGINE_UP, describeEngine, removeProject, uniqueProjectName } from './engine.js';

/** The Slack slash command and interactivity endpoint over a real socket with real HMAC signatures. */
const SECRET = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855-slack';
const ALICE = 'UALICE01';
const BOB = 'UBOB0002';
const MALLORY = 'UMALLORY';

const stack = uniqueProjectName('chatslack');
let test: TestApp;
let sys: ReturnType<typeof countingSys>;
let app: FastifyInstance;
let slack: SlackStandIn;
let base = '';
let pinnedMs: number | undefined;

const intent = (name: string, extra = '') => `apiVersion: oresi.dev/v1\nkind: Intent\nname: ${name}\nstack: ${stack}\ntimeoutSeconds: 120\n${extra}steps:\n  - action: status\n`;

beforeAll(async () => {
  slack = await startSlackStandIn();
  test = await makeTestApp({
    stacks: { [stack]: 'services:\n  web:\n    image: busybox\n    network_mode: none\n' },
    intents: { 'status.yaml': intent('status'), 'guarded.yaml': intent('guarded', 'approval: { quorum: 1 }\n') },
    config: {
      roles: { ops: { approve: true } },
      principals: [{ name: 'alice', roles: ['ops'] }, { name: 'bob', roles: ['ops'] }],
    },
    env: { ORESI_SLACK_SIGNING_SECRET: SECRET },
    // The clock is pinned only around the replay-window tests, so the ±301 s edge is exact.
    sys: (real) => (sys = countingSys({ ...real, now: () => pinnedMs ?? real.now() })),
  });
  const chat = ChatConfig.parse({ slack: { users: { [ALICE]: 'alice', [BOB]: 'bob' }, responseUrlOrigins: [slack.url] } });
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
  await slack?.close();
  await test?.close();
});

const nowSeconds = () => Math.floor(Date.now() / 1000);
interface Sent { status: number; body: Record<string, any> } // eslint-disable-line @typescript-eslint/no-explicit-any

async function post(body: string, headers: Record<string, string>): Promise<Sent> {
  const res = await fetch(`${base}/v1/chat/slack`, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const send = (body: string, ts = nowSeconds(), secret = SECRET) => {
  const headers = slackHeaders(secret, body, ts);
  return post(body, headers).then((r) => ({ ...r, headers }));
};
const to = (url: string) => (c: RecordedCall) => c.method === 'POST' && url.endsWith(c.path);
const withState = (url: string, state: string) => (c: RecordedCall) => to(url)(c) && String(c.body?.text).includes(`*${state}*`);
const runsCount = () => test.ctx.audit.listRuns({ limit: 200 }).runs.length;

describe('Slack: signatures and identity', () => {
  it('refuses missing, wrong-secret and malformed signatures with 401', async () => {
    const body = slashForm({ text: 'intents', user_id: ALICE, response_url: slack.responseUrl() });
    const missing = await post(body, { 'content-type': 'application/x-www-form-urlencoded' });
    expect([missing.status, missing.body.error?.code]).toEqual([401, 'E_UNAUTHENTICATED']);
    expect((await send(body, nowSeconds(), 'another-secret')).status).toBe(401);
    const headers = slackHeaders(SECRET, body, nowSeconds());
    expect((await post(body, { ...headers, 'x-slack-signature': headers['x-slack-signature']?.toUpperCase() ?? '' })).status).toBe(401);
  });

  it('refuses timestamps ±301 s away, accepts ±300 s', async () => {
    const body = () => slashForm({ text: 'intents', user_id: ALICE, response_url: slack.responseUrl() });
    const now = nowSeconds();
    pinnedMs = now * 1000;
    try {
      expect((await send(body(), now - 301)).status).toBe(401);
      expect((await send(body(), now + 301)).status).toBe(401);
      expect((await send(body(), now - 300)).status).toBe(200);
      expect((await send(body(), now + 300)).status).toBe(200);
    } finally {
      pinnedMs = undefined;
    }
  });

  it('refuses a body re-encoded after signing (+ vs %20), though it decodes the same', async () => {
    const body = slashForm({ text: 'run status --reason night shift', user_id: ALICE, response_url: slack.responseUrl() });
    expect(body).toContain('+');
    const headers = slackHeaders(SECRET, body, nowSeconds());
    const before = runsCount();
    const res = await post(body.replaceAll('+', '%20'), headers);
    expect(res.status).toBe(401);
    expect(runsCount()).toBe(before);
  });

  it('a correctly signed command from an unmapped user gets 200 and "not allowed"; nothing runs', async () => {
    const url = slack.responseUrl();
    const before = { runs: runsCount(), spawns: sys.spawns.length };
    const res = await send(slashForm({ text: 'run status', user_id: MALLORY, response_url: url }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ response_type: 'ephemeral' });
    expect(res.body.text).toMatch(/not allowed/);
    expect({ runs: runsCount(), spawns: sys.spawns.length }).toEqual(before);
    expect(slack.calls.filter(to(url))).toHaveLength(0);
  });

  it('acks at once, then posts the answer to response_url (plan runs nothing)', async () => {
    const url = slack.responseUrl();
    const spawns = sys.spawns.length;
    const res = await send(slashForm({ text: 'plan status', user_id: ALICE, response_url: url }));
    expect(res.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/working on/) });
    const reply = await slack.waitFor(to(url), 'plan reply');
    expect(reply.body.response_type).toBe('ephemeral');
    expect(reply.body.text).toContain(`--project-name ${stack}`);
    expect(reply.body.blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
    expect(sys.spawns.length).toBe(spawns);
  });

  it('unknown commands get usage help at once', async () => {
    const res = await send(slashForm({ text: 'reboot everything', user_id: ALICE, response_url: slack.responseUrl() }));
    expect(res.body.text).toMatch(/unknown command "reboot"/);
  });

  it('a replayed request is not handled twice', async () => {
    const url = slack.responseUrl();
    const body = slashForm({ text: 'intents', user_id: ALICE, response_url: url });
    const first = await send(body);
    await slack.waitFor(to(url), 'intents reply');
    const replay = await post(body, first.headers);
    expect(replay.body.text).toMatch(/already handled/);
    expect(slack.calls.filter(to(url))).toHaveLength(1);
  });

  it('refuses to reply to a response_url outside the allowed origins', async () => {
    const res = await send(slashForm({ text: 'intents', user_id: ALICE, response_url: 'https://evil.example/hook' }));
    expect(res.body.text).toMatch(/cannot reply/);
  });
});

describeEngine('Slack: runs on the real engine', () => {
  it('rollout --dry-run answers with the images that would move and spawns nothing', async () => {
    const url = slack.responseUrl();
    const requested = () => test.ctx.audit.list({ limit: 500 }).filter((e) => e.type === 'run.requested').length;
    const before = { runs: runsCount(), requested: requested(), spawns: sys.spawns.length };
    const body = slashForm({ text: `rollout ${stack} --dry-run`, user_id: ALICE, response_url: url });
    const res = await send(body);
    expect(res.body.text).toMatch(/working on `rollout`/);
    const reply = await slack.waitFor(to(url), 'dry-run reply');
    expect(reply.body.text).toContain(`dry run of rollout on ${stack}: *nothing ran*`);
    expect(reply.body.text).toMatch(/web: busybox: (would move|no local change)/);
    expect(reply.body.text).toMatch(/\$ docker[ -]compose .* pull\n/);
    expect(reply.body.text).toMatch(/\$ docker[ -]compose .* up --detach/);
    expect(sys.spawns.slice(before.spawns)).toEqual([]);
    expect({ runs: runsCount(), requested: requested() }).toEqual({ runs: before.runs, requested: before.requested });
    // Claimed like a run: the same signed bytes again are not handled a second time.
    expect((await post(body, res.headers)).body.text).toMatch(/already handled/);
  });

  it('rollout of an unknown stack is refused with the reason; nothing runs', async () => {
    const url = slack.responseUrl();
    const before = { runs: runsCount(), spawns: sys.spawns.length };
    await send(slashForm({ text: 'rollout no-such-stack', user_id: ALICE, response_url: url }));
    const reply = await slack.waitFor(to(url), 'refusal');
    expect(reply.body.text).toMatch(/refused/);
    expect(reply.body.response_type).toBe('ephemeral');
    expect({ runs: runsCount(), spawns: sys.spawns.length }).toEqual(before);
  });

  it('a slash run is acknowledged, then the channel sees the final state', async () => {
    const url = slack.responseUrl();
    const before = runsCount();
    const body = slashForm({ text: 'run status --reason "from slack"', user_id: ALICE, response_url: url });
    const res = await send(body);
    expect(res.status).toBe(200);
    const done = await slack.waitFor(withState(url, 'succeeded'), 'final reply');
    expect(done.body).toMatchObject({ response_type: 'in_channel', replace_original: true });
    const id = /run `([^`]+)`/.exec(done.body.text)?.[1] ?? '';
    expect(test.ctx.audit.getRun(id)).toMatchObject({ state: 'succeeded', requestedBy: 'alice', source: 'chat', reason: 'from slack' });
    const requested = test.ctx.audit.list({ runId: id, limit: 50 }).find((e) => e.type === 'run.requested');
    expect(requested?.data).toMatchObject({ via: 'slack', keyId: `slack:${ALICE}` });
    // A replay of the same signed bytes runs nothing more.
    expect((await post(body, res.headers)).body.text).toMatch(/already handled/);
    expect(runsCount()).toBe(before + 1);
  });

  it('approval buttons: the requester\'s press is refused privately, a second approver\'s runs it', async () => {
    const url = slack.responseUrl();
    await send(slashForm({ text: 'run guarded', user_id: ALICE, response_url: url }));
    const pending = await slack.waitFor(withState(url, 'pending_approval'), 'pending message');
    const actions = pending.body.blocks[1];
    expect(actions.type).toBe('actions');
    const approveId = actions.elements[0].action_id as string;
    const runId = approveId.split(':')[2] ?? '';
    expect(actions.elements.map((e: { style: string }) => e.style)).toEqual(['primary', 'danger']);

    const ownUrl = slack.responseUrl();
    expect((await send(buttonForm({ user_id: ALICE, action_id: approveId, response_url: ownUrl }))).status).toBe(200);
    const notice = await slack.waitFor(to(ownUrl), 'ephemeral refusal');
    expect(notice.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(notice.body.text).toMatch(/cannot approve/);
    expect(test.ctx.audit.getRun(runId)?.state).toBe('pending_approval');

    const bobUrl = slack.responseUrl();
    await send(buttonForm({ user_id: BOB, action_id: approveId, response_url: bobUrl }));
    const done = await slack.waitFor(withState(bobUrl, 'succeeded'), 'approved run final');
    expect(done.body.replace_original).toBe(true);
    expect(done.body.blocks).toHaveLength(1);
    expect(test.ctx.audit.getRun(runId)?.state).toBe('succeeded');
  });
});
