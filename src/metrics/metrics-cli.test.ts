import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeCliError } from '../cli/exit.js';
import type { CliIo } from '../cli/io.js';
import { buildProgram } from '../cli/program.js';
import { registerMetricsCommand } from './metrics-cli.js';

async function runMetrics(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    argv: ['node', 'oresi', ...args],
    // An engine that is not there: metrics must still answer, naming the problem.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    cwd,
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
    stdin: Readable.from(['']),
    stdoutIsTTY: false,
    stdoutAsync: async (t) => { stdout += t; },
    waitForShutdown: () => new Promise(() => {}),
  };
  const program = buildProgram(io);
  registerMetricsCommand(program, io);
  for (const cmd of program.commands) cmd.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  try {
    await program.parseAsync(io.argv);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const { code, message } = describeCliError(err);
    return { code, stdout, stderr: stderr + message };
  }
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
