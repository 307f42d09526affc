import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP server on 127.0.0.1:<random port> standing in for Discord, Slack, Kuma,
 * Healthchecks, ntfy or a webhook receiver. It records every request exactly as received
 * (raw body bytes included, for signature checks) and answers with `respond`.
 */
export interface RecordedRequest {
  method: string;
  /** Path plus query string, as sent. */
  path: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  body: string;
}

export interface StandInReply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Never answer (for timeouts); the socket is closed by close(). */
  hang?: boolean;
}

export type Responder = (req: RecordedRequest, index: number) => StandInReply;

export interface RecordingServer {
  /** Base URL, no trailing slash. */
  url: string;
  requests: RecordedRequest[];
  /** Resolves when at least `count` requests have arrived. */
  waitFor(count: number): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

export const ok204: Responder = () => ({ status: 204 });

export async function startRecordingServer(respond: Responder = ok204): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  let waiters: Array<{ count: number; resolve: (r: RecordedRequest[]) => void }> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const rec: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, raw, body: raw.toString('utf8') };
      const index = requests.length;
      requests.push(rec);
      const reply = respond(rec, index);
      waiters = waiters.filter((w) => {
        if (requests.length < w.count) return true;
        w.resolve(requests.slice());
        return false;
      });
      if (reply.hang) return;
      res.writeHead(reply.status, reply.headers ?? {});
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    waitFor: (count) => (requests.length >= count
      ? Promise.resolve(requests.slice())
      : new Promise((resolve) => waiters.push({ count, resolve }))),
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
