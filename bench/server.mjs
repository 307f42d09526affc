#!/usr/bin/env node
// Throughput of the oresi HTTP edge against a bare Fastify app, in one run on one machine.
//
//   npm run build && node bench/server.mjs            # 3 rounds, 10 s per target, 100 connections
//   BENCH_SECONDS=3 BENCH_CONNECTIONS=50 node bench/server.mjs
//   BENCH_TOOL=wrk node bench/server.mjs                # wrk (Debian package) as the load generator
//   BENCH_ROUNDS=5 node bench/server.mjs                # more rounds (each measures every target once)
//   BENCH_WARMUP=0 node bench/server.mjs                # no unmeasured warm-up (default 2 s per target)
//
// Targets: authenticated POST /v1/intents/<name>/plan (auth, rate limits, validation, planning,
// one log line), GET /healthz (the edge without auth), and two bare Fastify routes (the floors):
// an empty GET, and a POST taking the plan route's request and answering its bytes. A third,
// informational: that POST with oresi's end-of-turn response batching (src/http/turn-batch.ts)
// and nothing else, so the share of the result that batching alone explains is visible.
// Each target first runs BENCH_WARMUP seconds unmeasured (JIT, heap growth); the summary gives
// the median and range over rounds of every ratio, each taken within one round.
// Numbers are for comparison on the same machine, never for assertions.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { createApp, closeApp } from '../dist/app.js';
import { loadConfig } from '../dist/config/load.js';
import { generateApiKey } from '../dist/http/api-keys.js';
import { createServer, stopServer } from '../dist/http/server.js';
import { holdResponsesToTurnEnd } from '../dist/http/turn-batch.js';
import { createRealSys } from '../dist/sys/real.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 100);
const intent = process.env.BENCH_INTENT ?? 'media-scale';
const warmup = Number(process.env.BENCH_WARMUP ?? 2);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

const silent = { info() {}, warn() {}, error() {} };
const PLAN_BODY = '{"params":{"replicas":2}}';
const planHeaders = (key) => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' });

async function startOresi(dataDir) {
  const env = { ...process.env };
  // The bench measures the edge, not the limiter refusing it: lift the per-minute budgets.
  const loaded = await loadConfig({ path: resolve(here, '../examples/oresi.yaml'), env, cwd: resolve(here, '..') });
  const config = { ...loaded, dataDir, server: { ...loaded.server, rateLimit: { perPrincipalPerMinute: 1e9, perIpPerMinute: 1e9, authFailuresPerIpPerMinute: 1e9 } } };
  const ctx = await createApp({ config, sys: createRealSys(env), logger: silent, mode: 'full' });
  const key = generateApiKey();
  // Logging stays on (one JSON line per request is part of the cost), written to /dev/null.
  const app = await createServer(ctx, { logger: { level: process.env.BENCH_LOG_LEVEL ?? 'info', file: '/dev/null' }, demoKey: key, version: 'bench' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, ctx, key, url: `http://127.0.0.1:${app.server.address().port}` };
}

/**
 * The floors: an empty GET, and a POST that takes the same request as the plan route (headers,
 * JSON body) and answers the same bytes, pre-serialised, with none of oresi's work in between.
 */
async function startBare(planText) {
  const app = Fastify({ logger: false });
  app.get('/bare', async () => ({ status: 'ok' }));
  app.post('/bare', async (request, reply) => reply.type('application/json; charset=utf-8').send(planText));
  await app.register(async (batched) => {
    holdResponsesToTurnEnd(batched, () => {});
    batched.post('/bare-batched', async (request, reply) => reply.type('application/json; charset=utf-8').send(planText));
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url: `http://127.0.0.1:${app.server.address().port}` };
}

const tool = process.env.BENCH_TOOL ?? 'autocannon';

/** wrk (C, one thread) parses responses far faster than autocannon, so the client is less of a bottleneck. */
async function runWrk(title, opts, secs = seconds, quiet = false) {
  const dir = await mkdtemp(join(tmpdir(), 'oresi-wrk-'));
  const script = join(dir, 'req.lua');
  const headers = Object.entries(opts.headers ?? {}).map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`).join('\n');
  await writeFile(script, `wrk.method = ${JSON.stringify(opts.method ?? 'GET')}\n${opts.body ? `wrk.body = ${JSON.stringify(opts.body)}\n` : ''}${headers}\n`);
  const child = spawn('wrk', ['-t1', `-c${connections}`, `-d${secs}s`, '--latency', '-s', script, opts.url], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c) => { out += c; });
  await once(child, 'exit');
  await rm(dir, { recursive: true, force: true });
  const num = (re) => Number(re.exec(out)?.[1] ?? NaN);
  const ms = (re) => {
    const m = re.exec(out);
    if (!m) return NaN;
    const v = Number(m[1]);
    return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
  };
  const non2xx = num(/Non-2xx or 3xx responses: (\d+)/) || 0;
  const row = { title, reqPerSec: Math.round(num(/Requests\/sec:\s+([\d.]+)/)), p50ms: ms(/ 50%\s+([\d.]+)(us|ms|s)/), p99ms: ms(/ 99%\s+([\d.]+)(us|ms|s)/), non2xxOrErrors: non2xx };
  if (quiet) return row;
  console.log(`${title.padEnd(40)} ${String(row.reqPerSec).padStart(8)} req/s   p50 ${row.p50ms.toFixed(2).padStart(6)} ms   p99 ${row.p99ms.toFixed(2).padStart(6)} ms   (${non2xx} non-2xx)`);
  return row;
}

async function run(title, opts) {
  if (warmup > 0) await measure(title, opts, warmup, true);
  return measure(title, opts, seconds, false);
}

function measure(title, opts, secs, quiet) {
  if (tool === 'wrk') return runWrk(title, opts, secs, quiet);
  return new Promise((done, fail) => {
    autocannon({ connections, duration: secs, ...opts }, (err, r) => {
      if (err) return fail(err);
      const bad = r.non2xx + r.errors + r.timeouts;
      const row = { title, reqPerSec: Math.round(r.requests.average), p50ms: r.latency.p50, p99ms: r.latency.p99, requests: r.requests.total, non2xxOrErrors: bad };
      if (quiet) return done(row);
      console.log(`${title.padEnd(40)} ${String(row.reqPerSec).padStart(8)} req/s   p50 ${String(row.p50ms).padStart(4)} ms   p99 ${String(row.p99ms).padStart(4)} ms   (${row.requests} requests, ${bad} non-2xx/errors)`);
      done(row);
    });
  });
}

// The servers run in a child process so the load generator does not share their event loop
// (on two cores: one for the servers, one for autocannon).
if (process.argv[2] === '--serve') {
  const dataDir = await mkdtemp(join(tmpdir(), 'oresi-bench-'));
  const oresi = await startOresi(dataDir);
  const plan = await oresi.app.inject({ method: 'POST', url: `/v1/intents/${intent}/plan`, headers: planHeaders(oresi.key), payload: PLAN_BODY });
  const bare = await startBare(plan.body);
  process.stdout.write(JSON.stringify({ oresi: oresi.url, key: oresi.key, bare: bare.url }) + '\n');
  process.stdin.resume();
  process.stdin.on('end', async () => {
    await stopServer(oresi.app, oresi.ctx, 5_000);
    await closeApp(oresi.ctx);
    await bare.app.close();
    await rm(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
} else {
  const child = spawn(process.execPath, [...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : []), fileURLToPath(import.meta.url), '--serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [line] = await once(createInterface({ input: child.stdout }), 'line');
  const urls = JSON.parse(line);
  try {
    const probe = await fetch(`${urls.oresi}/v1/intents/${intent}/plan`, { method: 'POST', headers: planHeaders(urls.key), body: PLAN_BODY });
    if (probe.status !== 200) throw new Error(`plan probe answered ${probe.status}: ${await probe.text()}`);
    console.log(`node ${process.version}, ${connections} connections, ${seconds} s per target, servers in a separate process\n`);
    // BENCH_ONLY_PLAN=1 with BENCH_PROFILE=<dir>: a CPU profile of the plan route alone.
    if (process.env.BENCH_ONLY_HEALTHZ) {
      await run('GET /healthz', { url: `${urls.oresi}/healthz` });
    } else if (process.env.BENCH_ONLY_PLAN) {
      await run(`POST /v1/intents/${intent}/plan`, { url: `${urls.oresi}/v1/intents/${intent}/plan`, method: 'POST', headers: planHeaders(urls.key), body: PLAN_BODY });
    } else {
      await compare(urls);
    }
  } finally {
    child.stdin.end();
    await once(child, 'exit');
  }
}

function median(xs) {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function spread(xs, digits = 2) {
  return `${median(xs).toFixed(digits)} [${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}]`;
}

/**
 * BENCH_ROUNDS rounds; each measures every target once, one after the other, and its ratios use
 * that round's floors. These machines drift by tens of percent over a minute, so a ratio from
 * adjacent measurements, and the median over rounds, say more than any single figure.
 */
async function compare(urls) {
  const post = (url) => ({ url, method: 'POST', headers: planHeaders(urls.key), body: PLAN_BODY });
  const targets = {
    get: ['bare Fastify GET /bare', { url: `${urls.bare}/bare` }],
    post: ['bare Fastify POST /bare (same request)', post(`${urls.bare}/bare`)],
    plan: [`POST /v1/intents/${intent}/plan`, post(`${urls.oresi}/v1/intents/${intent}/plan`)],
    health: ['GET /healthz', { url: `${urls.oresi}/healthz` }],
    batched: ['bare POST + turn batching (info)', post(`${urls.bare}/bare-batched`)],
  };
  if (warmup > 0) for (const [title, opts] of Object.values(targets)) await measure(title, opts, warmup, true);
  const rows = [];
  for (let round = 1; round <= rounds; round++) {
    console.log(`round ${round} of ${rounds}`);
    const row = {};
    for (const [name, [title, opts]] of Object.entries(targets)) row[name] = await measure(title, opts, seconds, false);
    rows.push(row);
  }
  const of = (f) => rows.map(f);
  const rate = (a, b) => (r) => r[a].reqPerSec / r[b].reqPerSec;
  const planP99 = of((r) => r.plan.p99ms);
  console.log(`\nover ${rounds} round(s), median [min–max]; each ratio from one round's adjacent measurements:`);
  console.log(`  plan route          ${spread(of((r) => r.plan.reqPerSec), 0)} req/s, p99 ${spread(planP99)} ms (under 10 ms in ${planP99.filter((v) => v < 10).length} of ${rounds})`);
  console.log(`  plan/bare GET       ${spread(of(rate('plan', 'get')))}`);
  console.log(`  plan/bare POST      ${spread(of(rate('plan', 'post')))}`);
  console.log(`  healthz/bare GET    ${spread(of(rate('health', 'get')))}    healthz p99 ${spread(of((r) => r.health.p99ms))} ms`);
  console.log(`  bare POST/bare GET  ${spread(of(rate('post', 'get')))}`);
  console.log(`  plan/(bare POST + turn batching) ${spread(of(rate('plan', 'batched')))}, (bare POST + turn batching)/bare POST ${spread(of(rate('batched', 'post')))}`);
  console.log(`  floors' p99: bare GET ${spread(of((r) => r.get.p99ms))} ms, bare POST ${spread(of((r) => r.post.p99ms))} ms`);
}
