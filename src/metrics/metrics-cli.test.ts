import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../test/helpers/cli.js';

/** The real CLI in-process, with an engine that is not there: metrics must still answer, naming the problem. */
function runMetrics(args: string[], cwd: string) {
  return cli(args, { cwd, env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
}

describe('oresi metrics', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'oresi-metrics-cli-'));
    await mkdir(join(root, 'stacks', 'media'), { recursive: true });
    await writeFile(join(root, 'stacks', 'media', 'compose.yaml'), 'services:\n  app:\n    image: busybox\n');
    await mkdir(join(root, 'intents'));
    await writeFile(join(root, 'oresi.yaml'), 'stacksRoot: ./stacks\nintentsDir: ./intents\ndataDir: ./data\n');
    await mkdir(join(root, 'data'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('prints JSON with the original keys first; an absent engine is a named problem', async () => {
    const r = await runMetrics(['metrics'], root);
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(m).slice(0, 4)).toEqual(['host', 'disk_free', 'cpu_count', 'kuma']);
    expect(m).toMatchObject({ kuma: null, containers: null, disks: [{ path: join(root, 'data') }] });
    expect(m.problems).toEqual([expect.stringMatching(/^engine: /)]);
  });

  it('--format prom prints Prometheus text', async () => {
    const r = await runMetrics(['metrics', '--format', 'prom'], root);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^oresi_host_cpus \d+$/m);
    expect(r.stdout).toContain(`oresi_host_disk_free_bytes{path="${join(root, 'data')}"}`);
    expect(r.stdout).toContain('oresi_metrics_source_up{source="engine"} 0');
  });

  it('refuses an unknown format', async () => {
    const r = await runMetrics(['metrics', '--format', 'xml'], root);
    expect(r.code).toBe(2);
  });
});
