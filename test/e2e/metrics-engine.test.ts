import { Registry } from 'prom-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { collectAppMetrics, registerAppHostMetrics } from '../../src/metrics/app-metrics.js';
import { MetricsConfig } from '../../src/config/metrics-schema.js';
import { makeTestApp, type TestApp } from '../helpers/test-app.js';
import { startKumaStandIn, type KumaStandIn } from '../stand-ins/kuma.js';
import { composeCli, describeEngine, dockerCli, removeProject, TEST_IMAGE, uniqueProjectName } from './engine.js';

/** Host metrics from the real engine and an Uptime Kuma stand-in. */
describeEngine('host metrics on the real engine', () => {
  const stack = uniqueProjectName('metrics');
  const kumaKey = 'uk2_e2e_metrics_key';
  let app: TestApp;
  let kuma: KumaStandIn;
  let config: MetricsConfig;

  beforeAll(async () => {
    kuma = await startKumaStandIn({ apiKey: kumaKey, monitors: [{ name: 'plex', status: 1 }, { name: 'nas', status: 0 }, { name: 'new', status: 2 }, { name: 'sonarr', status: 1 }] });
    app = await makeTestApp({
      stacks: {
        [stack]: `services:\n  web:\n    image: ${TEST_IMAGE}\n    network_mode: none\n    command: ["sleep", "600"]\n    stop_grace_period: 1s\n    healthcheck:\n      test: ["CMD", "true"]\n      interval: 1s\n      retries: 1\n  idle:\n    image: ${TEST_IMAGE}\n    network_mode: none\n    command: ["true"]\n`,
      },
      intents: {},
      env: { ORESI_KUMA_API_KEY: kumaKey },
    });
    config = MetricsConfig.parse({ kuma: { url: kuma.url }, diskPaths: ['/'] });
    await composeCli(['up', '-d'], { cwd: `${app.stacksRoot}/${stack}`, project: stack }, { check: true });
    // Wait (bounded by the hook timeout) for the engine to report the healthcheck and the exit.
    const state = async (service: string, fmt: string) => {
      const id = (await dockerCli(['ps', '-aq', '--filter', `label=com.docker.compose.project=${stack}`, '--filter', `label=com.docker.compose.service=${service}`], { check: true })).stdout.trim();
      return (await dockerCli(['inspect', '-f', fmt, id], { check: true })).stdout.trim();
    };
    while ((await state('web', '{{.State.Health.Status}}')) !== 'healthy' || (await state('idle', '{{.State.Status}}')) !== 'exited') {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });
  afterAll(async () => {
    await removeProject(stack);
    await app?.close();
    await kuma?.close();
  });

  it('counts the stack from the Engine API and Kuma monitors from its /metrics', async () => {
    const m = await collectAppMetrics(app.ctx, config);
    expect(Object.keys(m).slice(0, 4)).toEqual(['host', 'disk_free', 'cpu_count', 'kuma']);
    expect(m.kuma).toEqual({ green: 2, amber: 1, red: 1 });
    expect(m.stacks).toEqual([{ name: stack, running: 1, total: 2, healthy: 1 }]);
    expect(m.containers?.byState.running).toBeGreaterThanOrEqual(1);
    expect(m.containers?.byState.exited).toBeGreaterThanOrEqual(1);
    expect(m.containers?.byHealth.healthy).toBeGreaterThanOrEqual(1);
    expect(m.disks.map((d) => d.path)).toEqual([app.ctx.config.dataDir, '/']);
    expect(m.disk_free).toBeGreaterThan(0);
    expect(m.problems).toEqual([]);
  });

  it('the same numbers on a prom-client registry, collected on scrape', async () => {
    const registry = new Registry();
    registerAppHostMetrics(registry, app.ctx, { ...config, cacheSeconds: 3600 });
    const text = await registry.metrics();
    expect(text).toContain(`oresi_stack_containers{stack="${stack}",kind="running"} 1`);
    expect(text).toContain(`oresi_stack_containers{stack="${stack}",kind="healthy"} 1`);
    expect(text).toContain('oresi_kuma_monitors{status="green"} 2');
    expect(text).toContain('oresi_metrics_source_up{source="kuma"} 1');
    // Kuma changes; within the cache window the scrape reuses the collection, after it does not.
    kuma.monitors = [{ name: 'plex', status: 0 }];
    expect(await registry.metrics()).toContain('oresi_kuma_monitors{status="green"} 2');
    const fresh = new Registry();
    registerAppHostMetrics(fresh, app.ctx, { ...config, cacheSeconds: 0 });
    expect(await fresh.metrics()).toContain('oresi_kuma_monitors{status="red"} 1');
  });
});
