/**
 * Is the engine test bed complete? Engine tests need three things from `scripts/testbed.sh`: an
 * engine answering /_ping, a compose CLI, and the test image in the bed's registry. An engine
 * alone is not a bed: on a machine with Docker but no bed, every engine test failed with
 * "manifest … not found" instead of skipping.
 */
import { spawn } from 'node:child_process';
import { request } from 'node:http';

export type Endpoint = { socketPath: string } | { host: string; port: number };

export interface BedStatus {
  engine: boolean;
  compose: 'v1' | 'v2' | undefined;
  image: boolean;
  /** One phrase per missing part; empty when the bed is complete. */
  missing: string[];
}

/** How to get a bed, in one line (printed when engine tests skip, thrown when they must run). */
export const ENABLE_HINT =
  'to run them: sudo bash scripts/testbed.sh, then export the ORESI_EXAMPLE_IMAGE=… line it prints last';

/** Where the engine listens, given DOCKER_HOST (unix:// or tcp://) or undefined for the default socket. */
export function resolveEngineAddress(dockerHost: string | undefined): Endpoint {
  if (!dockerHost) return { socketPath: '/var/run/docker.sock' };
  if (dockerHost.startsWith('unix://')) return { socketPath: dockerHost.slice('unix://'.length) };
  const url = new URL(dockerHost.replace(/^tcp:/, 'http:'));
  return { host: url.hostname, port: Number(url.port || 2375) };
}

interface Answer { status: number; body: string }

/** One HTTP request; undefined when nothing answers in time. Never throws. */
function ask(target: Endpoint, path: string, method: 'GET' | 'HEAD', headers: Record<string, string>, timeoutMs: number): Promise<Answer | undefined> {
  return new Promise((resolve) => {
    const req = request({ ...target, path, method, headers, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

/** True when the engine at DOCKER_HOST answers GET /_ping with OK. Never throws. */
export async function pingEngine(dockerHost: string | undefined, timeoutMs = 3000): Promise<boolean> {
  let endpoint: Endpoint;
  try {
    endpoint = resolveEngineAddress(dockerHost);
  } catch {
    return false;
  }
  const answer = await ask(endpoint, '/_ping', 'GET', {}, timeoutMs);
  return answer?.status === 200 && answer.body.trim() === 'OK';
}

/** `registry/repo:tag` → its parts, when the first component names a registry host. */
export function splitImageRef(ref: string): { registry: string; repo: string; tag: string } | undefined {
  const slash = ref.indexOf('/');
  if (slash < 0) return undefined;
  const registry = ref.slice(0, slash);
  if (!/[.:]/.test(registry) && registry !== 'localhost') return undefined;
  const rest = ref.slice(slash + 1);
  const colon = rest.lastIndexOf(':');
  return colon < 0 ? { registry, repo: rest, tag: 'latest' } : { registry, repo: rest.slice(0, colon), tag: rest.slice(colon + 1) };
}

const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
].join(', ');

/** True when the registry named in `ref` serves its manifest (what `docker pull` would fetch). */
export async function registryHasImage(ref: string, timeoutMs = 3000): Promise<boolean> {
  const parts = splitImageRef(ref);
  if (!parts) return false;
  const [host, port] = parts.registry.split(':');
  const answer = await ask({ host: host ?? '', port: Number(port ?? 80) }, `/v2/${parts.repo}/manifests/${parts.tag}`,
    'HEAD', { accept: MANIFEST_TYPES }, timeoutMs);
  return answer?.status === 200;
}

function exitsZero(argv: readonly string[]): Promise<boolean> {
  const [file, ...args] = argv;
  return new Promise((resolve) => {
    const child = spawn(file ?? '', args, { shell: false, stdio: 'ignore', timeout: 20_000 });
    child.on('error', () => resolve(false));
    child.on('close', (code) => resolve(code === 0));
  });
}

/** `docker compose` (v2) preferred, else `docker-compose` (v1); ORESI_TEST_COMPOSE forces one. */
export async function detectCompose(forced: string | undefined): Promise<'v1' | 'v2' | undefined> {
  if (forced === 'v1' || forced === 'v2') return forced;
  if (await exitsZero(['docker', 'compose', 'version'])) return 'v2';
  if (await exitsZero(['docker-compose', 'version'])) return 'v1';
  return undefined;
}

/** Probe every part of the bed for `image` against the engine at `dockerHost`. Never throws. */
export async function probeBed(opts: { image: string; dockerHost: string | undefined; composeForced?: string | undefined }): Promise<BedStatus> {
  const [engine, compose, image] = await Promise.all([
    pingEngine(opts.dockerHost),
    detectCompose(opts.composeForced),
    registryHasImage(opts.image),
  ]);
  const missing: string[] = [];
  if (!engine) missing.push(`no Docker engine answers /_ping at ${opts.dockerHost ?? 'unix:///var/run/docker.sock'}`);
  if (!compose) missing.push('neither `docker compose` nor `docker-compose` works');
  if (!image) missing.push(`the registry does not serve ${opts.image}`);
  return { engine, compose, image, missing };
}

/** The one line that says why engine tests skip (or, with ORESI_REQUIRE_ENGINE, fail). */
export function describeBed(status: BedStatus): string {
  return `engine test bed incomplete (${status.missing.join('; ')}); ${ENABLE_HINT}`;
}
