import * as nodeOs from 'node:os';
import type { EngineClient, StackDirectory } from '../commands/types.js';
import type { Sys } from '../sys/sys.js';
import { summariseContainers, type ContainerCounts, type StackCounts } from './container-summary.js';
import { fetchKumaCounts } from './kuma-fetch.js';
import type { KumaCounts } from './kuma-text.js';
import type { MetricsConfig } from '../config/metrics-schema.js';

/** What node:os tells us; injected so tests can pin it. */
export interface HostOs {
  hostname(): string;
  cpuCount(): number;
  loadavg(): number[];
  totalmem(): number;
  freemem(): number;
}

export const realHostOs: HostOs = {
  hostname: () => nodeOs.hostname(),
  cpuCount: () => nodeOs.availableParallelism(),
  loadavg: () => nodeOs.loadavg(),
  totalmem: () => nodeOs.totalmem(),
  freemem: () => nodeOs.freemem(),
};

export interface DiskUsage {
  path: string;
  free: number;
  total: number;
}

/**
 * The original `collect_metrics.sh` keys come first and keep their names (host, disk_free,
 * cpu_count, kuma), so existing consumers keep working; disk_free is now a number of bytes.
 */
export interface HostMetrics {
  host: string;
  /** Bytes available to oresi on the data dir's filesystem; null when it cannot be read. */
  disk_free: number | null;
  cpu_count: number;
  /** null when Kuma is not configured or did not answer (the reason is in `problems`). */
  kuma: KumaCounts | null;
  load: [number, number, number];
  memory: { total: number; free: number; available: number };
  disks: DiskUsage[];
  /** null when the engine did not answer. */
  containers: ContainerCounts | null;
  stacks: StackCounts[];
  /** What could not be collected, and why (no secrets, no URLs with credentials). */
  problems: string[];
}

export interface CollectDeps {
  sys: Pick<Sys, 'fs' | 'fetch' | 'env'>;
  engine: Pick<EngineClient, 'listComposeContainers'>;
  stacks: Pick<StackDirectory, 'list'>;
  config: { dataDir: string; metrics: MetricsConfig };
  os?: HostOs;
}

export async function collectHostMetrics(deps: CollectDeps): Promise<HostMetrics> {
  const os = deps.os ?? realHostOs;
  const { metrics, dataDir } = deps.config;
  const problems: string[] = [];
  const paths = [dataDir, ...metrics.diskPaths.filter((p) => p !== dataDir)];
  const [disks, engineState, kuma, available] = await Promise.all([
    Promise.all(paths.map((p) => diskUsage(deps.sys.fs, p, problems))),
    deps.engine.listComposeContainers().then(
      (list) => summariseContainers(list, deps.stacks.list().map((s) => s.name)),
      (err: unknown) => { problems.push(`engine: ${err instanceof Error ? err.message : String(err)}`); return null; },
    ),
    collectKuma(deps, problems),
    memAvailable(deps.sys.fs),
  ]);
  const [l1 = 0, l5 = 0, l15 = 0] = os.loadavg();
  const free = os.freemem();
  const data = disks[0];
  return {
    host: os.hostname(),
    disk_free: data ? data.free : null,
    cpu_count: os.cpuCount(),
    kuma,
    load: [l1, l5, l15],
    memory: { total: os.totalmem(), free, available: available ?? free },
    disks: disks.filter((d): d is DiskUsage => d !== null),
    containers: engineState?.containers ?? null,
    stacks: engineState?.stacks ?? [],
    problems,
  };
}

async function diskUsage(fs: Sys['fs'], path: string, problems: string[]): Promise<DiskUsage | null> {
  try {
    const s = await fs.statfs(path);
    // bavail, not bfree: what a non-root process (oresi, compose) can actually still write.
    return { path, free: s.bavail * s.bsize, total: s.blocks * s.bsize };
  } catch (err) {
    problems.push(`disk ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    return null;
  }
}

async function collectKuma(deps: CollectDeps, problems: string[]): Promise<KumaCounts | null> {
  const kuma = deps.config.metrics.kuma;
  if (!kuma) return null;
  const apiKey = deps.sys.env[kuma.apiKeyEnv];
  const r = await fetchKumaCounts(deps.sys.fetch, { url: kuma.url, timeoutMs: kuma.timeoutMs, ...(apiKey ? { apiKey } : {}) });
  if (r.ok) return r.counts;
  problems.push(`kuma: ${r.reason}`);
  return null;
}

/** Linux's MemAvailable (what can be had without swapping), which freemem() does not give. */
async function memAvailable(fs: Sys['fs']): Promise<number | null> {
  try {
    const text = await fs.readFile('/proc/meminfo', 'utf8');
    const m = /^MemAvailable:\s+(\d+)\s+kB$/m.exec(text);
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}
