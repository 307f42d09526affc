#!/usr/bin/env node
// Drift probe vs what people script today (a loop of `docker-compose ps`), on the real engine.
//
//   node bench/drift.mjs                 # 50 stacks × 3 services (needs the test bed and a build)
//   STACKS=10 ROUNDS=3 node bench/drift.mjs
//   ORESI_DIST=/tmp/oresi-drift-build/dist node bench/drift.mjs   # a build elsewhere
//
// Creates the stacks with compose (sleep containers, network_mode: none), times probeDrift over
// all of them (ROUNDS runs, median) and one sequential loop of per-stack `ps`, prints both and
// the ratio, then removes everything it made. Never an assertion: figures are for people.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const dist = resolve(process.env.ORESI_DIST ?? new URL('../dist/', import.meta.url).pathname);
const load = (p) => import(pathToFileURL(join(dist, p)).href);
const { probeDrift } = await load('docker/drift.js');
const { createContainerInspector } = await load('docker/drift-inspect.js');
const { createEngineClient } = await load('docker/engine.js');
const { discoverStacks } = await load('docker/discovery.js');
const { createRealSys } = await load('sys/real.js');

const STACKS = Number(process.env.STACKS ?? 50);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const IMAGE = process.env.ORESI_EXAMPLE_IMAGE ?? '127.0.0.1:5000/oresi/busybox:1.36.1';
const HOST = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
const run = (argv, cwd) =>
  new Promise((ok, fail) => {
    const child = spawn(argv[0], argv.slice(1), { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c) => { err += c; });
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? ok() : fail(new Error(`${argv.join(' ')}: ${err.trim()}`))));
  });
async function pool(items, n, fn) {
  let i = 0;
  await Promise.all(Array.from({ length: n }, async () => { while (i < items.length) await fn(items[i++]); }));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const tag = randomBytes(3).toString('hex');
const root = await fsp.mkdtemp(join(tmpdir(), 'oresi-drift-bench-'));
const names = Array.from({ length: STACKS }, (_, i) => `bench${tag}s${String(i).padStart(2, '0')}`);
const svc = (n) => `  ${n}:\n    image: ${IMAGE}\n    network_mode: none\n    command: ["sleep", "3600"]\n    stop_grace_period: 1s\n`;

try {
  console.log(`creating ${STACKS} stacks × 3 services under ${root} …`);
  const t0 = performance.now();
  await pool(names, 4, async (name) => {
    await fsp.mkdir(join(root, name));
    await fsp.writeFile(join(root, name, 'compose.yaml'), `services:\n${svc('web')}${svc('worker')}${svc('cache')}`);
    await run(['docker-compose', '-p', name, 'up', '-d'], join(root, name));
  });
  console.log(`  created in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const real = createRealSys(process.env);
  let spawns = 0;
  const sys = { ...real, spawn: (...a) => { spawns += 1; return real.spawn(...a); } };
  const engine = createEngineClient({ host: HOST });
  const inspector = createContainerInspector({ host: HOST });
  const { stacks } = await discoverStacks({ root, fs: fsp });
  const probeMs = [];
  let last;
  for (let r = 0; r < ROUNDS; r += 1) {
    const t = performance.now();
    last = await probeDrift({ sys, engine, inspector, stacksRoot: root, stacks, dialect: 'v1' });
    probeMs.push(performance.now() - t);
  }
  await engine.close();
  await inspector.close();
  const ours = last.findings.filter((f) => names.includes(f.stack));

  const tps = performance.now();
  for (const name of names) await run(['docker-compose', '-p', name, 'ps'], join(root, name));
  const psMs = performance.now() - tps;

  const probe = median(probeMs);
  console.log(`probeDrift, all ${STACKS} stacks: median ${probe.toFixed(0)} ms over ${ROUNDS} runs ` +
    `(${probeMs.map((x) => x.toFixed(0)).join(', ')}); ${spawns / ROUNDS} child process(es) per run; ` +
    `${ours.length} finding(s) on the bench stacks`);
  console.log(`loop of docker-compose ps:    ${psMs.toFixed(0)} ms (${(psMs / STACKS).toFixed(0)} ms per stack)`);
  console.log(`ratio: ${(psMs / probe).toFixed(1)}×`);
} finally {
  await pool(names, 4, async (name) => {
    await run(['docker-compose', '-p', name, 'down', '-t', '1'], join(root, name)).catch((e) => console.error(String(e)));
  });
  await fsp.rm(root, { recursive: true, force: true });
}
