import { Agent, request } from 'undici';
import type { z } from 'zod';
import { AppError } from '../errors.js';
import { compareContainers, toComposeContainer } from './compose-containers.js';
import {
  type ComposeContainer,
  type EngineClient,
  type EngineVersion,
  type ImageInfo,
  RawContainer,
  RawImage,
  RawVersion,
} from './engine-types.js';

export interface EngineClientOptions {
  /** `unix:///var/run/docker.sock`, `tcp://host:port` (plain HTTP) or `http://host:port`. */
  host: string;
  /** Per request, connect to last body byte. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5000;
/** A list or inspect answer is small; a bigger one means something is wrong. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * Reads live state from the Docker Engine API. Unversioned paths: the engine then speaks its
 * own newest API, so Debian's older docker.io (API 1.41) and current engines both work.
 */
export function createEngineClient(opts: EngineClientOptions): EngineClient {
  const { origin, dispatcher } = resolveEndpoint(opts.host);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function call(path: string): Promise<{ status: number; body: string }> {
    try {
      const res = await request(origin + path, {
        method: 'GET',
        dispatcher,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { status: res.statusCode, body: await readCapped(res.body) };
    } catch (err) {
      throw new AppError(
        'E_ENGINE_UNAVAILABLE',
        `The Docker Engine at ${opts.host} did not answer ${path}: ${describeError(err)}. ` +
          'Check that dockerd runs and oresi may open its socket.',
      );
    }
  }

  async function getJson<S extends z.ZodType>(path: string, schema: S): Promise<z.infer<S>> {
    const { status, body } = await call(path);
    if (status !== 200) throw engineRefused(opts.host, path, status, body);
    return parseBody(opts.host, path, body, schema);
  }

  return {
    async ping() {
      try {
        const { status, body } = await call('/_ping');
        return status === 200 && body.trim() === 'OK';
      } catch {
        return false;
      }
    },
    async version(): Promise<EngineVersion> {
      const v = await getJson('/version', RawVersion);
      return { version: v.Version, apiVersion: v.ApiVersion, os: v.Os, arch: v.Arch };
    },
    async listComposeContainers(): Promise<ComposeContainer[]> {
      const filters = encodeURIComponent(JSON.stringify({ label: ['com.docker.compose.project'] }));
      const list = await getJson(`/containers/json?all=1&filters=${filters}`, RawContainer.array());
      return list
        .map(toComposeContainer)
        .filter((c): c is ComposeContainer => c !== null)
        .sort(compareContainers);
    },
    async inspectImage(ref: string): Promise<ImageInfo | null> {
      const path = `/images/${encodeURIComponent(ref)}/json`;
      const { status, body } = await call(path);
      if (status === 404) return null;
      if (status !== 200) throw engineRefused(opts.host, path, status, body);
      const img = parseBody(opts.host, path, body, RawImage);
      return { id: img.Id, repoDigests: img.RepoDigests ?? [], repoTags: img.RepoTags ?? [], created: img.Created };
    },
    async close() {
      await dispatcher.close();
    },
  };
}

/** Where to send requests: a unix socket through an Agent, or plain HTTP to tcp hosts. */
export function resolveEndpoint(host: string): { origin: string; dispatcher: Agent } {
  if (host.startsWith('unix://')) {
    const socketPath = host.slice('unix://'.length);
    if (!socketPath.startsWith('/')) {
      throw new AppError('E_CONFIG_INVALID', `docker.host ${host}: a unix socket path must be absolute.`);
    }
    // The host part of the URL is ignored on a socket; "localhost" is what the docker CLI sends.
    return { origin: 'http://localhost', dispatcher: new Agent({ connect: { socketPath } }) };
  }
  const m = /^(?:tcp|http):\/\/([^/]+?)\/?$/.exec(host);
  if (!m) {
    throw new AppError('E_CONFIG_INVALID', `docker.host ${host}: expected unix:///path or tcp://host:port.`);
  }
  return { origin: `http://${m[1]}`, dispatcher: new Agent() };
}

async function readCapped(body: AsyncIterable<Buffer | Uint8Array>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error(`response larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody<S extends z.ZodType>(host: string, path: string, body: string, schema: S): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new AppError('E_ENGINE_UNAVAILABLE', `The Docker Engine at ${host} sent non-JSON for ${path}.`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new AppError('E_ENGINE_UNAVAILABLE', `The Docker Engine at ${host} sent an unexpected shape for ${path}.`, {
      issues: parsed.error.issues.slice(0, 5),
    });
  }
  return parsed.data;
}

function engineRefused(host: string, path: string, status: number, body: string): AppError {
  const message = extractMessage(body);
  return new AppError('E_ENGINE_UNAVAILABLE', `The Docker Engine at ${host} answered ${status} to ${path}: ${message}`);
}

function extractMessage(body: string): string {
  try {
    const m = (JSON.parse(body) as { message?: unknown }).message;
    if (typeof m === 'string') return m.slice(0, 500);
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return body.trim().slice(0, 500) || '(empty body)';
}

function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return `${code ? `${code} ` : ''}${err.message}${cause}`;
  }
  return String(err);
}
