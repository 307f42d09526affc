import * as fsp from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { discoverStacks } from '../../src/docker/discovery.js';
import { probeDrift, type DriftReport } from '../../src/docker/drift.js';
import { driftExitCode, DriftJsonSchema, formatFindings, toDriftJson } from '../../src/docker/drift-format.js';
import { createContainerInspector } from '../../src/docker/drift-inspect.js';
import { createEngineClient } from '../../src/docker/engine.js';
import type { EngineClient } from '../../src/docker/engine-types.js';
import type { StackFacts } from '../../src/plan/types.js';
import { createRealSys } from '../../src/sys/real.js';
import {
  composeBinary, composeCli, describeEngine, dockerCli, makeStack, makeStacksRoot, removeProject, runCli,
  TEST_IMAGE, TEST_REGISTRY, uniqueProjectName,
} from './engine.js';

const host = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
const sys = createRealSys(process.env);

/** A service definition; every stack here is one or more of these. */
function service(name: string, image: string, extra = ''): string {
  return `  ${name}:\n    image: ${image}\n    network_mode: none\n    command: ["sleep", "600"]\n    stop_grace_period: 1s\n${extra}`;
}
const compose = (...services: string[]) => `services:\n${services.join('')}`;
const kindsOf = (r: DriftReport, stack: string) => [...new Set(r.findings.filter((f) => f.stack === stack).map((f) => f.kind))].sort();

describeEngine('drift probe on the real engine', () => {
  const tag = randomBytes(4).toString('hex');
  const repo = `${TEST_REGISTRY}/oresi-drift-${tag}`;
  const n = {
    clean: uniqueProjectName('dclean'), stopped: uniqueProjectName('dstopped'), scaled: uniqueProjectName('dscaled'),
    edited: uniqueProjectName('dedited'), orphan: uniqueProjectName('dorphan'), latest: uniqueProjectName('dlatest'),
    stale: uniqueProjectName('dstale'), dirty: uniqueProjectName('ddirty'), empty: uniqueProjectName('dempty'),
    oldcompose: uniqueProjectName('doldcompose'), foreign: uniqueProjectName('dforeign'),
  };
  const ghost = `${n.orphan}-ghost`;
  const impostor = `${n.oldcompose}-web`;
  let engine: EngineClient;
  let inspector: ReturnType<typeof createContainerInspector>;
  let root: string;
  let elsewhere: string;
  let stacks: StackFacts[];
  let report: DriftReport;
  const up = (name: string, args: string[] = []) => composeCli(['up', '-d', ...args], { cwd: join(root, name), project: name }, { check: true });
  const git = (args: string[]) => runCli(['git', '-c', 'user.email=t@oresi', '-c', 'user.name=t', ...args], { cwd: root, check: true });

  beforeAll(async () => {
    root = await makeStacksRoot();
    elsewhere = await makeStacksRoot();
    const staleRef = `${repo}/app:1.0.0`;
    await dockerCli(['tag', TEST_IMAGE, `${repo}/tool:latest`], { check: true });
    await dockerCli(['tag', TEST_IMAGE, staleRef], { check: true });
    await dockerCli(['push', staleRef], { check: true });

    const full = service('web', TEST_IMAGE, '    environment:\n      FOO: bar\n    labels:\n      org.example.tier: front\n    volumes:\n      - /data\n    healthcheck:\n      test: ["CMD", "true"]\n      interval: 1s\n');
    await makeStack(root, n.clean, compose(full, service('worker', TEST_IMAGE)));
    for (const name of [n.stopped, n.scaled, n.edited, n.orphan, n.dirty, n.empty, n.oldcompose]) {
      await makeStack(root, name, compose(service('web', TEST_IMAGE)));
    }
    await makeStack(root, n.latest, compose(service('web', `${repo}/tool:latest`)));
    await makeStack(root, n.stale, compose(service('web', staleRef)));
    await fsp.writeFile(join(root, n.dirty, 'notes.txt'), 'tracked\n');
    await makeStack(elsewhere, n.foreign, compose(service('web', TEST_IMAGE)));
    await git(['init', '-q']);
    await git(['add', '.']);
    await git(['commit', '-qm', 'stacks']);

    for (const name of [n.clean, n.stopped, n.scaled, n.edited, n.orphan, n.latest, n.stale, n.dirty]) await up(name);
    await composeCli(['up', '-d'], { cwd: join(elsewhere, n.foreign), project: n.foreign }, { check: true });

    // The perturbations, one per stack.
    await dockerCli(['stop', '-t', '1', `${n.stopped}_web_1`], { check: true }).catch(async () => {
      const ps = await dockerCli(['ps', '-q', '--filter', `label=com.docker.compose.project=${n.stopped}`], { check: true });
      await dockerCli(['stop', '-t', '1', ...ps.stdout.split('\n').filter(Boolean)], { check: true });
    });
    await up(n.scaled, ['--scale', 'web=2']);
    await fsp.writeFile(join(root, n.edited, 'compose.yaml'), compose(service('web', TEST_IMAGE)).replace('"600"', '"700"'));
    await dockerCli(['run', '-d', '--name', ghost, '--network', 'none', '--label', `com.docker.compose.project=${n.orphan}`,
      '--label', 'com.docker.compose.service=ghost', TEST_IMAGE, 'sleep', '600'], { check: true });
    await fsp.writeFile(join(root, n.dirty, 'notes.txt'), 'edited by hand\n');
    // A container another compose version made: the hash is not comparable, the fields are.
    await dockerCli(['run', '-d', '--name', impostor, '--network', 'none',
      '--label', `com.docker.compose.project=${n.oldcompose}`, '--label', 'com.docker.compose.service=web',
      '--label', 'com.docker.compose.container-number=1', '--label', 'com.docker.compose.version=0.0.1',
      '--label', `com.docker.compose.config-hash=${'0'.repeat(64)}`, TEST_IMAGE, 'sleep', '601'], { check: true });
    // A second image under the same tag, pushed and pulled: the running container is now behind.
    const builder = `${n.stale}-build`;
    await dockerCli(['run', '--name', builder, '--network', 'none', TEST_IMAGE, 'touch', '/v2'], { check: true });
    await dockerCli(['commit', builder, staleRef], { check: true });
    await dockerCli(['rm', builder], { check: true });
    await dockerCli(['push', staleRef], { check: true });
    await dockerCli(['pull', staleRef], { check: true });

    engine = createEngineClient({ host });
    inspector = createContainerInspector({ host });
    stacks = (await discoverStacks({ root, fs: fsp })).stacks;
    report = await probeDrift({ sys, engine, inspector, stacksRoot: root, stacks, dialect: await composeBinary() });
    if (process.env.DRIFT_DUMP) console.log(formatFindings(report));
  });

  afterAll(async () => {
    await dockerCli(['rm', '-f', ghost, impostor]);
    for (const name of Object.values(n)) await removeProject(name);
    await dockerCli(['rmi', `${repo}/tool:latest`, `${repo}/app:1.0.0`]);
    // The first push left the old image known by its digest under our repository name.
    const left = await dockerCli(['images', '--digests', '--format', '{{.Repository}}@{{.Digest}}', `${repo}/app`]);
    const refs = left.stdout.split('\n').filter((r) => r.includes('@sha256:'));
    if (refs.length > 0) await dockerCli(['rmi', ...refs]);
    await engine?.close();
    await inspector?.close();
    for (const dir of [root, elsewhere]) if (dir) await fsp.rm(dir, { recursive: true, force: true });
  });

  it('finds nothing on a clean stack, and exits 0 for it alone', async () => {
    expect(kindsOf(report, n.clean)).toEqual([]);
    expect(report.stacks.find((s) => s.name === n.clean)).toEqual({ name: n.clean, clean: true });
    const only = await probeDrift({ sys, engine, inspector, stacksRoot: root, stacks, dialect: await composeBinary(), only: n.clean });
    expect(only.findings).toEqual([]);
    expect(driftExitCode(only)).toBe(0);
    expect(formatFindings(only)).toContain(`${n.clean}: clean`);
  });

  it('reports a stopped container as stopped and its service as missing', () => {
    expect(kindsOf(report, n.stopped)).toEqual(['missing_service', 'stopped']);
    expect(report.findings.find((f) => f.stack === n.stopped && f.kind === 'missing_service')).toMatchObject({ severity: 'error', service: 'web' });
  });

  it('reports a hand scale as replica_mismatch', () => {
    expect(kindsOf(report, n.scaled)).toEqual(['replica_mismatch']);
    expect(report.findings.find((f) => f.stack === n.scaled)?.message).toMatch(/declares 1 replica\(s\) but 2 are running/);
  });

  it('reports an edited compose file as config_drift (and the edit as uncommitted)', () => {
    expect(kindsOf(report, n.edited)).toEqual(['config_drift', 'uncommitted']);
    expect(report.findings.find((f) => f.stack === n.edited && f.kind === 'config_drift')?.message).toMatch(/command/);
  });

  it('uses compose\'s own config hash when the files are newer than the containers', async () => {
    const dialect = await composeBinary();
    // Touched but unchanged: the cheap mtime check cannot clear it, compose's hash does.
    const file = join(root, n.clean, 'compose.yaml');
    await fsp.utimes(file, new Date(), new Date(Date.now() + 5000));
    const spawned: string[][] = [];
    const counting = { ...sys, spawn: ((file: string, args: string[], o: never) => {
      spawned.push([file, ...args]);
      return sys.spawn(file, args, o);
    }) as typeof sys.spawn };
    const touched = await probeDrift({ sys: counting, engine, stacksRoot: root, stacks, dialect, only: n.clean });
    expect(touched.findings).toEqual([]);
    expect(spawned.filter((a) => a.some((x) => x.startsWith('--hash')))).toHaveLength(1);
    // Without an inspector the changed hash alone tells that the edited stack drifted.
    const edited = await probeDrift({ sys, engine, stacksRoot: root, stacks, dialect, only: n.edited });
    expect(edited.findings.find((f) => f.kind === 'config_drift')?.message).toMatch(/compose config hash differs/);
  });

  it('compares fields when another compose version made the container', () => {
    expect(kindsOf(report, n.oldcompose)).toEqual(['config_drift']);
    expect(report.findings.find((f) => f.stack === n.oldcompose)).toMatchObject({ container: impostor, message: expect.stringMatching(/: command;/) });
  });

  it('reports a labelled container of an undeclared service as orphan', () => {
    expect(kindsOf(report, n.orphan)).toEqual(['orphan']);
    expect(report.findings.find((f) => f.stack === n.orphan)).toMatchObject({ container: ghost, service: 'ghost' });
  });

  it('reports :latest as unpinned_image', () => {
    expect(kindsOf(report, n.latest)).toEqual(['unpinned_image']);
    expect(report.findings.find((f) => f.stack === n.latest)?.severity).toBe('error');
  });

  it('reports a re-pushed and pulled tag as stale_image', () => {
    expect(kindsOf(report, n.stale)).toEqual(['stale_image']);
  });

  it('reports a hand edit in the git-tracked stack folder as uncommitted', () => {
    expect(kindsOf(report, n.dirty)).toEqual(['uncommitted']);
    expect(report.findings.find((f) => f.stack === n.dirty)?.message).toContain(`${n.dirty}/notes.txt`);
  });

  it('reports a folder with nothing running, and a project outside the root, as unmanaged', () => {
    expect(kindsOf(report, n.empty)).toEqual(['unmanaged']);
    expect(kindsOf(report, n.foreign)).toEqual(['unmanaged']);
    expect(report.findings.find((f) => f.stack === n.foreign)?.message).toContain(join(elsewhere, n.foreign));
  });

  it('marks drifted stacks, exits 1 and emits JSON that matches its schema', () => {
    const drifted = report.stacks.filter((s) => !s.clean).map((s) => s.name).sort();
    const ours = Object.values(n).filter((x) => x !== n.clean && x !== n.foreign).sort();
    expect(drifted.filter((x) => ours.includes(x))).toEqual(ours);
    expect(driftExitCode(report)).toBe(1);
    expect(DriftJsonSchema.parse(JSON.parse(JSON.stringify(toDriftJson(report)))).clean).toBe(false);
  });
});
