import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../errors.js';
import { createEngineClient, resolveEndpoint } from './engine.js';

// A stand-in engine on a real unix socket: the transport is real, the answers are ours.
let dir: string;
let socket: string;
let server: Server | undefined;
let seen: string[];

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<void> {
  server = createServer((req, res) => {
    seen.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((resolve) => server!.listen(socket, resolve));
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oresi-engine-'));
  socket = join(dir, 'docker.sock');
  seen = [];
});
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe('createEngineClient', () => {
  it('lists compose containers in one filtered call', async () => {
    await serve((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify([
        { Id: '2', Names: ['/s-web-1'], State: 'running', Status: 'Up', Created: 1, Labels: { 'com.docker.compose.project': 's', 'com.docker.compose.service': 'web', 'com.docker.compose.container-number': '1' } },
        { Id: '1', Names: ['/s-db-1'], State: 'exited', Status: 'Exited (0)', Created: 1, Labels: { 'com.docker.compose.project': 's', 'com.docker.compose.service': 'db', 'com.docker.compose.container-number': '1' } },
      ]));
    });
    const engine = createEngineClient({ host: `unix://${socket}` });
    try {
      const list = await engine.listComposeContainers();
      expect(list.map((c) => [c.service, c.state])).toEqual([['db', 'exited'], ['web', 'running']]);
      expect(seen).toHaveLength(1);
      const url = new URL(seen[0]!, 'http://x');
      expect(url.pathname).toBe('/containers/json');
      expect(url.searchParams.get('all')).toBe('1');
      expect(JSON.parse(url.searchParams.get('filters')!)).toEqual({ label: ['com.docker.compose.project'] });
    } finally {
      await engine.close();
    }
  });

  it('returns null for an image the engine does not have, and maps an inspect', async () => {
    await serve((req, res) => {
      if (req.url?.includes('missing')) {
        res.statusCode = 404;
        res.end(JSON.stringify({ message: 'No such image' }));
        return;
      }
      res.end(JSON.stringify({ Id: 'sha256:aa', RepoDigests: null, RepoTags: ['r/x:1'], Created: '2024-01-01T00:00:00Z' }));
    });
    const engine = createEngineClient({ host: `unix://${socket}` });
    try {
      expect(await engine.inspectImage('missing:1')).toBeNull();
      expect(await engine.inspectImage('127.0.0.1:5000/r/x:1')).toEqual({
        id: 'sha256:aa', repoDigests: [], repoTags: ['r/x:1'], created: '2024-01-01T00:00:00Z',
      });
      // The reference travels as one path segment, never as extra path or query.
      expect(seen[1]).toBe('/images/127.0.0.1%3A5000%2Fr%2Fx%3A1/json');
    } finally {
      await engine.close();
    }
  });

  it('turns an engine error status into E_ENGINE_UNAVAILABLE with its message', async () => {
    await serve((_req, res) => {
      res.statusCode = 500;
      res.end(JSON.stringify({ message: 'disk full' }));
    });
    const engine = createEngineClient({ host: `unix://${socket}` });
    try {
      const err = await engine.listComposeContainers().catch((e: unknown) => e);
      expect(isAppError(err) && err.code).toBe('E_ENGINE_UNAVAILABLE');
      expect(String((err as Error).message)).toContain('disk full');
    } finally {
      await engine.close();
    }
  });

  it('names the socket when nothing listens, and ping answers false', async () => {
    const engine = createEngineClient({ host: `unix://${socket}` });
    try {
      expect(await engine.ping()).toBe(false);
      const err = await engine.version().catch((e: unknown) => e);
      expect(isAppError(err) && err.code).toBe('E_ENGINE_UNAVAILABLE');
      expect((err as Error).message).toContain(socket);
    } finally {
      await engine.close();
    }
  });

  it('gives up on an engine that accepts but never answers', async () => {
    await serve(() => { /* never respond */ });
    const engine = createEngineClient({ host: `unix://${socket}`, timeoutMs: 200 });
    try {
      const err = await engine.listComposeContainers().catch((e: unknown) => e);
      expect(isAppError(err) && err.code).toBe('E_ENGINE_UNAVAILABLE');
    } finally {
      await engine.close();
    }
  });

  it('rejects a response of the wrong shape', async () => {
    await serve((_req, res) => res.end(JSON.stringify({ not: 'a list' })));
    const engine = createEngineClient({ host: `unix://${socket}` });
    try {
      const err = await engine.listComposeContainers().catch((e: unknown) => e);
      expect(isAppError(err) && err.code).toBe('E_ENGINE_UNAVAILABLE');
      expect(await engine.ping()).toBe(false);
    } finally {
      await engine.close();
    }
  });
});

describe('resolveEndpoint', () => {
  it('accepts unix and tcp hosts and refuses others', async () => {
    const u = resolveEndpoint('unix:///run/docker.sock');
    expect(u.origin).toBe('http://localhost');
    const t = resolveEndpoint('tcp://10.0.0.2:2375');
    expect(t.origin).toBe('http://10.0.0.2:2375');
    await Promise.all([u.dispatcher.close(), t.dispatcher.close()]);
    expect(() => resolveEndpoint('ssh://host')).toThrow(/expected unix/);
    expect(() => resolveEndpoint('unix://relative.sock')).toThrow(/absolute/);
    expect(() => resolveEndpoint('tcp://host:1/path?x')).toThrow();
  });
});
