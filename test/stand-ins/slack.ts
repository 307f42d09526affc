import { signSlack } from '../../src/chat/verify-signature.js';
import { startRecordingServer, type RecordingServer } from './discord.js';

/**
 * Slack's side for tests: response_url endpoints on a local recording server, and form bodies
 * signed the way Slack signs them (HMAC-SHA256 over `v0:{ts}:{raw body}`).
 */
export type SlackStandIn = RecordingServer & { responseUrl(): string };

let counter = 0;

export async function startSlackStandIn(): Promise<SlackStandIn> {
  const server = await startRecordingServer(() => ({ ok: true }));
  return Object.assign(server, { responseUrl: () => `${server.url}/commands/T1/${Date.now()}/${counter++}` });
}

export function slashForm(fields: { text: string; user_id: string; response_url: string }): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token', team_id: 'T1', team_domain: 'lab', channel_id: 'C1', channel_name: 'ops',
    user_name: 'someone', command: '/oresi', api_app_id: 'A1', trigger_id: `${Date.now()}.${counter++}.abc`, ...fields,
  }).toString();
}

export function buttonForm(fields: { user_id: string; action_id: string; response_url: string }): string {
  const payload = {
    type: 'block_actions', user: { id: fields.user_id, username: 'someone' }, api_app_id: 'A1', trigger_id: `${Date.now()}.${counter++}.btn`,
    response_url: fields.response_url, container: { type: 'message' },
    actions: [{ type: 'button', action_id: fields.action_id, block_id: 'oresi_approval', value: fields.action_id.split(':')[2], action_ts: '1' }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function slackHeaders(secret: string, body: string, timestampSeconds: number): Record<string, string> {
  const ts = String(timestampSeconds);
  return { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': ts, 'x-slack-signature': signSlack(secret, ts, Buffer.from(body)) };
}
