import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server on 127.0.0.1:0 for the PR provider stand-ins. It records every request
 * and can be switched to misbehave (500, never answer, non-JSON) to prove fail-closed paths.
 */

export type Misbehaviour = 'none' | 'error500' | 'hang' | 'badjson';

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
}

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface StandIn {
  url: string;
  requests: RecordedRequest[];
  misbehave: Misbehaviour;
  close(): Promise<void>;
}

export async function startStandIn(route: (url: URL, req: IncomingMessage) => Reply): Promise<StandIn> {
  const requests: RecordedRequest[] = [];
  const self = { misbehave: 'none' as Misbehaviour };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ method: req.method ?? '', path: url.pathname + url.search, authorization: req.headers.authorization });
    if (self.misbehave === 'hang') return; // never answers; the client's timeout must fire
    if (self.misbehave === 'error500') return send(res, { status: 500, body: { message: 'Server Error' } });
    if (self.misbehave === 'badjson') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end('{"number": 1, "state": ');
    }
    let reply: Reply;
    try {
      reply = route(url, req);
    } catch (err) {
      reply = { status: 500, body: { message: String(err) } };
    }
    send(res, reply);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const standIn: StandIn = {
    url: `http://127.0.0.1:${port}`,
    requests,
    get misbehave() { return self.misbehave; },
    set misbehave(v: Misbehaviour) { self.misbehave = v; },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  return standIn;
}

function send(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
  res.end(JSON.stringify(reply.body));
}

export const notFound = (message = 'Not Found'): Reply => ({ status: 404, body: { message } });

/** Items for one page (1-based) of `all`. */
export function pageOf<T>(all: readonly T[], page: number, size: number): T[] {
  return all.slice((page - 1) * size, page * size);
}

export const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
