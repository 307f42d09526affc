import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Discord API (and, with slack.ts, for Slack's response_url): a real
 * HTTP server that records every call with its JSON body, so tests can wait for the follow-up
 * a chat edge sends after its quick acknowledgement.
 */
export interface RecordedCall {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests walk arbitrary JSON
  body: any;
}

export interface RecordingServer {
  url: string;
  calls: RecordedCall[];
  /** Status for every answer (e.g. 401 to simulate a bad bot token). */
  status: number;
  /** Resolves with the first call (already made or future) that matches; rejects after deadlineMs. */
  waitFor(match: (call: RecordedCall) => boolean, what: string, deadlineMs?: number): Promise<RecordedCall>;
  close(): Promise<void>;
}

export async function startRecordingServer(reply: (call: RecordedCall) => unknown = () => ({})): Promise<RecordingServer> {
  const calls: RecordedCall[] = [];
  const waiters = new Set<() => void>();
  const self = { status: 200 };
  const server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => { text += c; });
    req.on('end', () => {
      let body: unknown = text;
      try { body = text ? JSON.parse(text) : undefined; } catch { /* keep the text */ }
      const call: RecordedCall = { method: req.method ?? '', path: req.url ?? '/', headers: req.headers, body };
      calls.push(call);
      res.writeHead(self.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(self.status < 300 ? reply(call) : { message: '401: Unauthorized', code: 0 }));
      for (const w of waiters) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    get status() { return self.status; },
    set status(v: number) { self.status = v; },
    waitFor(match, what, deadlineMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = calls.find(match);
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${what} within ${deadlineMs} ms; calls: ${JSON.stringify(calls.map((c) => [c.method, c.path.replace(/\/webhooks\/(\d+)\/[^/]+/, '/webhooks/$1/<token>')]))}`));
        }, deadlineMs);
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** An Ed25519 key pair as a Discord application has one: the public key as 64 hex characters. */
export function discordKeyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  // SPKI DER for Ed25519 is a 12-byte prefix followed by the 32 raw key bytes.
  const publicKeyHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex');
  return {
    publicKeyHex,
    sign: (timestamp: string, body: string | Buffer) => sign(null, Buffer.concat([Buffer.from(timestamp), Buffer.from(body)]), privateKey).toString('hex'),
  };
}

let counter = 0;
/** A fresh snowflake-looking id. */
export const snowflake = () => `${1_100_000_000_000_000_000n + BigInt(Date.now()) * 1000n + BigInt(counter++)}`;

export const APP_ID = '1234567890123456789';

/** `/oresi <sub> [options]` as Discord delivers it from a guild member. */
export function slashInteraction(userId: string, sub: string, options: Record<string, string> = {}, roles: string[] = []) {
  return {
    id: snowflake(), application_id: APP_ID, type: 2, token: `tok-${snowflake()}`, version: 1,
    guild_id: '42', channel_id: '43',
    member: { user: { id: userId, username: `u${userId.slice(-4)}` }, roles },
    data: { id: '99', name: 'oresi', type: 1, options: [{ name: sub, type: 1, options: Object.entries(options).map(([name, value]) => ({ name, type: 3, value })) }] },
  };
}

export function buttonInteraction(userId: string, customId: string, roles: string[] = []) {
  return {
    id: snowflake(), application_id: APP_ID, type: 3, token: `tok-${snowflake()}`, version: 1,
    guild_id: '42', channel_id: '43', message: { id: '77' },
    member: { user: { id: userId, username: `u${userId.slice(-4)}` }, roles },
    data: { custom_id: customId, component_type: 2 },
  };
}
