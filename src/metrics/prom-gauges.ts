import { Gauge, type Registry } from 'prom-client';
import type { HostMetrics } from './host-metrics.js';

export interface HostGaugeOptions {
  /** Monotonic clock in ms, for the cache. */
  now: () => number;
  /** A scrape within this long of the last collection reuses it (several gauges, one collection). */
  cacheMs: number;
}

/** Collects at most once per cacheMs; concurrent callers share the one in flight. */
export function cacheCollection(collect: () => Promise<HostMetrics>, opts: HostGaugeOptions): () => Promise<HostMetrics> {
  let last: { at: number; value: Promise<HostMetrics> } | null = null;
  return () => {
    const now = opts.now();
    if (last && now - last.at < opts.cacheMs) return last.value;
    const value = collect();
    last = { at: now, value };
    // A failed collection is not cached: the next scrape tries again.
    value.catch(() => { if (last?.value === value) last = null; });
    return value;
  };
}

/**
 * Registers the host gauges on `registry` (the server's own, so /metrics exports them). Values
 * are collected on scrape through a short cache. Label values come from the config and the
 * stacks on disk, never from a request.
 */
export function registerHostMetrics(registry: Registry, collect: () => Promise<HostMetrics>, opts: HostGaugeOptions): void {
  const get = cacheCollection(collect, opts);
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[], fill: (g: Gauge<L>, m: HostMetrics) => void) =>
    new Gauge<L>({
      name, help, labelNames, registers: [registry],
      async collect() {
        let m: HostMetrics;
        try {
          m = await get();
        } catch {
          return; // keep the scrape working; oresi_metrics_source_up tells what is missing
        }
        this.reset();
        fill(this, m);
      },
    });

  gauge('oresi_host_cpus', 'CPUs available to oresi.', [], (g, m) => g.set(m.cpu_count));
  gauge('oresi_host_load', 'Load average.', ['period'], (g, m) => {
    g.set({ period: '1m' }, m.load[0]);
    g.set({ period: '5m' }, m.load[1]);
    g.set({ period: '15m' }, m.load[2]);
  });
  gauge('oresi_host_memory_bytes', 'Memory: total, free, available (Linux MemAvailable).', ['kind'], (g, m) => {
    for (const kind of ['total', 'free', 'available'] as const) g.set({ kind }, m.memory[kind]);
  });
  gauge('oresi_host_disk_free_bytes', 'Bytes a non-root process can still write, per configured path.', ['path'], (g, m) => {
    for (const d of m.disks) g.set({ path: d.path }, d.free);
  });
  gauge('oresi_host_disk_total_bytes', 'Filesystem size, per configured path.', ['path'], (g, m) => {
    for (const d of m.disks) g.set({ path: d.path }, d.total);
  });
  gauge('oresi_containers', 'Compose containers by state.', ['state'], (g, m) => {
    for (const [state, n] of Object.entries(m.containers?.byState ?? {})) g.set({ state }, n);
  });
  gauge('oresi_containers_health', 'Compose containers by health (none = no healthcheck).', ['health'], (g, m) => {
    for (const [health, n] of Object.entries(m.containers?.byHealth ?? {})) g.set({ health }, n);
  });
  gauge('oresi_stack_containers', 'Containers per stack: running, total, healthy.', ['stack', 'kind'], (g, m) => {
    for (const s of m.stacks) {
      g.set({ stack: s.name, kind: 'running' }, s.running);
      g.set({ stack: s.name, kind: 'total' }, s.total);
      g.set({ stack: s.name, kind: 'healthy' }, s.healthy);
    }
  });
  gauge('oresi_kuma_monitors', 'Uptime Kuma monitors: green (up), amber (pending, maintenance), red (down).', ['status'], (g, m) => {
    if (!m.kuma) return;
    for (const status of ['green', 'amber', 'red'] as const) g.set({ status }, m.kuma[status]);
  });
  gauge('oresi_metrics_source_up', '1 when the source answered the last collection.', ['source'], (g, m) => {
    g.set({ source: 'engine' }, m.containers ? 1 : 0);
    if (m.kuma !== null || m.problems.some((p) => p.startsWith('kuma:'))) g.set({ source: 'kuma' }, m.kuma ? 1 : 0);
  });
}
