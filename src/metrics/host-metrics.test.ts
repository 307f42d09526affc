import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKumaStandIn, type KumaStandIn } from '../../test/stand-ins/kuma.js';
import type { ComposeContainer } from '../docker/engine-types.js';
import { createRealSys } from '../sys/real.js';
import { summariseContainers } from './container-summary.js';
import { collectHostMetrics, type HostMetrics, type HostOs } from './host-metrics.js';
import { MetricsConfig } from '../config/metrics-schema.js';
import { cacheCollection, registerHostMetrics } from './prom-gauges.js';

const os: HostOs = { hostname: () => 'nas', cpuCount: () => 4, loadavg: () => [0.5, 0.25, 0.125], totalmem: () => 8e9, freemem: () => 2e9 };
const container = (project: string, state: string, health: ComposeContainer['health']): ComposeContainer => ({
  id: `${project}-${state}-${health}`, name: 'x', project, service: 'svc', number: 1, state, status: '', health, image: 'img', imageId: 'sha256:1',
  created: 0, labels: {}, configHash: null, composeVersion: null, workingDir: null, configFiles: [],
});
const containers = [container('media', 'running', 'healthy'), container('media', 'running', 'unhealthy'), container('media', 'exited', null), container('other', 'running', null)];
const engine = { listComposeContainers: async () => containers };
const stacks = { list: () => [{ name: 'media' }, { name: 'empty' }] as never };

describe('summariseContainers', () => {
  it('counts by state, by health and per stack', () => {
    expect(summariseContainers(containers, ['media', 'empty'])).toEqual({
      containers: { byState: { running: 3, exited: 1 }, byHealth: { healthy: 1, unhealthy: 1, none: 2 } },
      stacks: [{ name: 'empty', running: 0, total: 0, healthy: 0 }, { name: 'media', running: 2, total: 3, healthy: 1 }],
    });
  });
});

describe('collectHostMetrics with a Kuma stand-in', () => {
  let kuma: KumaStandIn;
  beforeAll(async () => {
    kuma = await startKumaStandIn({ apiKey: 'uk1_test_key', monitors: [{ name: 'a', status: 1 }, { name: 'b', status: 0 }, { name: 'c', status: 3 }] });
  });
  afterAll(() => kuma?.close());

  const collect = (env: Record<string, string>, extra: Record<string, unknown> = {}) => collectHostMetrics({
    sys: createRealSys(env), engine, stacks, os,
    config: { dataDir: process.cwd(), metrics: MetricsConfig.parse({ kuma: { url: kuma.url }, diskPaths: ['/'], ...extra }) },
  });

  it('keeps the original keys first, then the rest', async () => {
    const m = await collect({ ORESI_KUMA_API_KEY: 'uk1_test_key' });
    expect(Object.keys(m).slice(0, 4)).toEqual(['host', 'disk_free', 'cpu_count', 'kuma']);
    expect(m).toMatchObject({ host: 'nas', cpu_count: 4, kuma: { green: 1, amber: 1, red: 1 }, load: [0.5, 0.25, 0.125], problems: [] });
    expect(m.disks.map((d) => d.path)).toEqual([process.cwd(), '/']);
    expect(m.disk_free).toBe(m.disks[0]?.free);
    expect(m.disk_free).toBeGreaterThan(0);
    expect(m.memory.total).toBe(8e9);
    expect(m.stacks.find((s) => s.name === 'media')).toEqual({ name: 'media', running: 2, total: 3, healthy: 1 });
    expect(kuma.authorizations.at(-1)).toBe(`Basic ${Buffer.from(':uk1_test_key').toString('base64')}`);
  });

  it('a wrong key, an unreachable Kuma or a missing disk are problems, not failures', async () => {
    const bad = await collect({ ORESI_KUMA_API_KEY: 'wrong' }, { diskPaths: ['/does/not/exist'] });
    expect(bad.kuma).toBeNull();
    expect(bad.problems).toEqual(expect.arrayContaining(['kuma: Uptime Kuma answered HTTP 401 (check the API key)', 'disk /does/not/exist: ENOENT']));
    const gone = await collectHostMetrics({ sys: createRealSys({}), engine: { listComposeContainers: () => Promise.reject(new Error('engine down')) }, stacks, os, config: { dataDir: process.cwd(), metrics: MetricsConfig.parse({ kuma: { url: 'http://127.0.0.1:9' } }) } });
    expect(gone).toMatchObject({ kuma: null, containers: null, stacks: [] });
    expect(gone.problems).toEqual(['engine: engine down', 'kuma: Uptime Kuma could not be reached']);
  });
});

describe('registerHostMetrics', () => {
  const sample: HostMetrics = {
    host: 'nas', disk_free: 10, cpu_count: 2, kuma: { green: 3, amber: 0, red: 1 }, load: [1, 2, 3], memory: { total: 100, free: 20, available: 50 },
    disks: [{ path: '/data', free: 10, total: 100 }], containers: { byState: { running: 2 }, byHealth: { none: 2 } }, stacks: [{ name: 'media', running: 2, total: 2, healthy: 0 }], problems: [],
  };

  it('exports every gauge from one collection per scrape', async () => {
    const registry = new Registry();
    let calls = 0;
    let now = 0;
    registerHostMetrics(registry, async () => { calls += 1; return sample; }, { now: () => now, cacheMs: 10_000 });
    const text = await registry.metrics();
    expect(calls).toBe(1);
    for (const line of ['oresi_host_cpus 2', 'oresi_host_load{period="5m"} 2', 'oresi_host_memory_bytes{kind="available"} 50', 'oresi_host_disk_free_bytes{path="/data"} 10',
      'oresi_containers{state="running"} 2', 'oresi_stack_containers{stack="media",kind="total"} 2', 'oresi_kuma_monitors{status="red"} 1', 'oresi_metrics_source_up{source="engine"} 1']) {
      expect(text).toContain(line);
    }
    await registry.metrics();
    expect(calls).toBe(1);
    now = 10_000;
    await registry.metrics();
    expect(calls).toBe(2);
  });

  it('a failed collection is not cached and does not break the scrape', async () => {
    let fail = true;
    const get = cacheCollection(async () => { if (fail) throw new Error('x'); return sample; }, { now: () => 0, cacheMs: 60_000 });
    await expect(get()).rejects.toThrow('x');
    fail = false;
    await expect(get()).resolves.toBe(sample);
    const registry = new Registry();
    registerHostMetrics(registry, async () => { throw new Error('down'); }, { now: () => 0, cacheMs: 0 });
    expect(await registry.metrics()).toContain('# TYPE oresi_host_cpus gauge');
  });
});
