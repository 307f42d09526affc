import { request } from 'undici';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { ContainerDetail } from '../policy/drift-types.js';
import { type EngineClientOptions, resolveEndpoint } from './engine.js';

const DEFAULT_TIMEOUT_MS = 5000;

const Labels = z.record(z.string(), z.string()).nullish().transform((l) => l ?? {});
const RawInspect = z.object({
  Config: z.object({
    Image: z.string().default(''),
    Cmd: z.array(z.string()).nullish(),
    Env: z.array(z.string()).nullish(),
    Labels,
  }),
  HostConfig: z
    .object({
      PortBindings: z
        .record(z.string(), z.array(z.object({ HostIp: z.string().default(''), HostPort: z.string().default('') })).nullish())
        .nullish(),
    })
    .nullish(),
  Mounts: z.array(z.object({ Destination: z.string() })).nullish(),
});

export interface ContainerInspector {
  /** null when the container is gone (removed between the list and now). */
  inspect(id: string): Promise<ContainerDetail | null>;
  close(): Promise<void>;
}

/**
 * Container inspection for the drift probe. Only used for the few containers whose config hash
 * cannot settle whether they match (another compose version made them, or the hash differs and
 * the probe names what changed), so the common path stays at one list call.
 */
export function createContainerInspector(opts: EngineClientOptions): ContainerInspector {
  const { origin, dispatcher } = resolveEndpoint(opts.host);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    async inspect(id) {
      const path = `/containers/${encodeURIComponent(id)}/json`;
      let status: number;
      let body: string;
      try {
        const res = await request(origin + path, { method: 'GET', dispatcher, signal: AbortSignal.timeout(timeoutMs) });
        status = res.statusCode;
        body = await res.body.text();
      } catch (err) {
        throw new AppError('E_ENGINE_UNAVAILABLE', `The Docker Engine at ${opts.host} did not answer ${path}: ${String(err)}.`);
      }
      if (status === 404) return null;
      const parsed = status === 200 ? RawInspect.safeParse(safeJson(body)) : undefined;
      if (!parsed?.success) {
        throw new AppError('E_ENGINE_UNAVAILABLE', `The Docker Engine at ${opts.host} answered ${status} with an unexpected body to ${path}.`);
      }
      return toDetail(parsed.data);
    },
    async close() {
      await dispatcher.close();
    },
  };
}

function toDetail(raw: z.infer<typeof RawInspect>): ContainerDetail {
  const portBindings: ContainerDetail['portBindings'] = {};
  for (const [key, list] of Object.entries(raw.HostConfig?.PortBindings ?? {})) {
    portBindings[key] = (list ?? []).map((b) => ({ hostIp: b.HostIp, hostPort: b.HostPort }));
  }
  return {
    image: raw.Config.Image,
    command: raw.Config.Cmd ?? [],
    env: raw.Config.Env ?? [],
    labels: raw.Config.Labels,
    portBindings,
    mountTargets: (raw.Mounts ?? []).map((m) => m.Destination),
  };
}

function safeJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
