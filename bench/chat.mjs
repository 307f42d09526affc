#!/usr/bin/env node
// Time for oresi to acknowledge a signed Discord interaction while a long run is in progress.
//
//   npm run build && node bench/chat.mjs      # 500 sequential, then 500 at each of concurrency 5 and 20
//   BENCH_REQUESTS=2000 BENCH_CONCURRENCY=10,50 node bench/chat.mjs
//
// oresi runs in the main thread; "Discord" (the signing client and the API stand-in that takes
// the follow-up PATCHes) runs in a worker thread, so the client's own work is not counted as
// oresi's latency. The long run is real (a spawned child holding the stack lock), but its
// `docker` is a script that sleeps, so no engine is needed. Each measured request is a fresh,
// signed `/oresi intents` interaction: Ed25519 verify, replay claim (SQLite, synchronous=FULL),
// user mapping, the deferred answer — while the follow-ups of earlier requests (intent listing,
// PATCH to the stand-in) compete for the same event loop. Numbers compare runs on one machine;
// they are never assertions. Target: p99 < 100 ms.
import { generateKeyPairSync, sign } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const APP_ID = '1234567890123456789';
const USER = '111111111111111111';

if (isMainThread) await main();
else await discordSide(workerData);

async function main() {
  const { createApp, closeApp } = await import('../dist/app.js');
  const { ChatConfig } = await import('../dist/chat/chat-schema.js');
  const { registerChatRoutes } = await import('../dist/chat/routes.js');
  const { Config } = await import('../dist/config/schema.js');
  const { createServer, stopServer } = await import('../dist/http/server.js');
  const { createRealSys } = await import('../dist/sys/real.js');
  const total = Number(process.env.BENCH_REQUESTS ?? 500);
  const concurrency = (process.env.BENCH_CONCURRENCY ?? '5,20').split(',').map(Number);

  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicKeyHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex');
  const root = await mkdtemp(join(tmpdir(), 'oresi-bench-chat-'));
  const bin = join(root, 'bin');
  await mkdir(bin);
  // The "long run": every compose call sleeps, so the run holds its stack for the whole bench.
  await writeFile(join(bin, 'docker'), '#!/bin/sh\nexec sleep 300\n');
  await chmod(join(bin, 'docker'), 0o755);
  await mkdir(join(root, 'stacks', 'bench'), { recursive: true });
  await writeFile(join(root, 'stacks', 'bench', 'compose.yaml'), 'services:\n  web:\n    image: busybox\n');
  await mkdir(join(root, 'intents'));
  await writeFile(join(root, 'intents', 'slow.yaml'), 'apiVersion: oresi.dev/v1\nkind: Intent\nname: slow\nstack: bench\ntimeoutSeconds: 600\nsteps:\n  - action: status\n');

  const worker = new Worker(new URL(import.meta.url), { workerData: { privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }), total, concurrency } });
  const fromWorker = [];
  let wake = () => {};
  worker.on('message', (m) => { fromWorker.push(m); wake(); });
  worker.on('error', (err) => { console.error(err); process.exitCode = 1; });
  const receive = async () => {
    while (fromWorker.length === 0) await new Promise((r) => { wake = r; });
    return fromWorker.shift();
  };
  const { standInUrl } = await receive();

  const config = Config.parse({
    stacksRoot: join(root, 'stacks'), intentsDir: join(root, 'intents'), dataDir: join(root, 'data'),
    compose: { dialect: 'v2' },
    roles: { ops: {} }, principals: [{ name: 'ops', roles: ['ops'] }],
    server: { rateLimit: { perPrincipalPerMinute: 1e9, perIpPerMinute: 1e9, authFailuresPerIpPerMinute: 1e9 } },
  });
  const silent = { info() {}, warn() {}, error() {} };
  const ctx = await createApp({ config, sys: createRealSys({ PATH: `${bin}:${process.env.PATH}` }), logger: silent, mode: 'full' });
  const app = await createServer(ctx, { logger: { level: 'silent' }, version: 'bench' });
  const chat = ChatConfig.parse({ discord: { publicKey: publicKeyHex, applicationId: APP_ID, apiUrl: standInUrl, users: { [USER]: 'ops' } } });
  await registerChatRoutes(app, ctx, { chat, progressMs: 1000, drainMs: 1000 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    worker.postMessage({ url: `http://127.0.0.1:${app.server.address().port}/v1/chat/discord`, phase: 'start-run' });
    await receive();
    while (ctx.active.size() === 0) await new Promise((r) => setTimeout(r, 10));
    console.log(`long run in progress (${ctx.active.size()} active); ${total} sequential, then ${total} at concurrency ${concurrency.join(' and ')}`);
    worker.postMessage({ phase: 'measure' });
    const { patches } = await receive();
    console.log(`the long run is still running: ${ctx.active.size() === 1}; follow-up PATCHes received by the stand-in: ${patches}`);
  } finally {
    for (const r of ctx.audit.listRuns({ state: 'running', limit: 10 }).runs) ctx.active.get(r.id)?.controller.abort();
    await stopServer(app, ctx, 10_000);
    await closeApp(ctx);
    await worker.terminate();
    await rm(root, { recursive: true, force: true });
  }
}

/** The Discord side: a follow-up API stand-in and a client sending signed interactions. */
async function discordSide({ privateKeyPem, total, concurrency }) {
  const { createPrivateKey } = await import('node:crypto');
  const key = createPrivateKey(privateKeyPem);
  let patches = 0;
  const server = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'PATCH') patches += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  parentPort.postMessage({ standInUrl: `http://127.0.0.1:${server.address().port}` });

  let url = '';
  let seq = 0;
  const interaction = (sub, options = {}) => {
    seq += 1;
    return {
      id: String(1_300_000_000_000_000_000n + BigInt(seq)), application_id: APP_ID, type: 2, token: `tok-${seq}`, version: 1,
      member: { user: { id: USER }, roles: [] },
      data: { name: 'oresi', type: 1, options: [{ name: sub, type: 1, options: Object.entries(options).map(([name, value]) => ({ name, type: 3, value })) }] },
    };
  };
  const send = async (body) => {
    const raw = JSON.stringify(body);
    const ts = String(Math.floor(Date.now() / 1000));
    const signature = sign(null, Buffer.concat([Buffer.from(ts), Buffer.from(raw)]), key).toString('hex');
    const started = performance.now();
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': ts }, body: raw });
    const json = await res.json();
    return { ms: performance.now() - started, status: res.status, type: json.type };
  };
  const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  const report = (title, results, wallMs) => {
    const ms = results.map((r) => r.ms).sort((a, b) => a - b);
    const bad = results.filter((r) => r.status !== 200 || r.type !== 5).length;
    console.log(`${title.padEnd(16)} p50 ${percentile(ms, 50).toFixed(2).padStart(7)} ms   p99 ${percentile(ms, 99).toFixed(2).padStart(7)} ms   max ${ms[ms.length - 1].toFixed(2).padStart(7)} ms   ${Math.round(results.length / (wallMs / 1000))} req/s   (${bad} not deferred)`);
  };

  parentPort.on('message', async (m) => {
    if (m.phase === 'start-run') {
      url = m.url;
      const r = await send(interaction('run', { intent: 'slow', reason: 'bench: the long run' }));
      if (r.type !== 5) throw new Error(`the long run was not acknowledged: ${JSON.stringify(r)}`);
      parentPort.postMessage({ started: true });
      return;
    }
    for (let i = 0; i < 20; i += 1) await send(interaction('intents')); // warm-up
    let t0 = performance.now();
    const sequential = [];
    for (let i = 0; i < total; i += 1) sequential.push(await send(interaction('intents')));
    report('sequential', sequential, performance.now() - t0);
    for (const c of concurrency) {
      t0 = performance.now();
      const concurrent = [];
      let next = 0;
      await Promise.all(Array.from({ length: c }, async () => {
        while (next < total) {
          next += 1;
          concurrent.push(await send(interaction('intents')));
        }
      }));
      report(`concurrency ${c}`, concurrent, performance.now() - t0);
    }
    // Let the last follow-ups land before counting them.
    await new Promise((r) => setTimeout(r, 500));
    parentPort.postMessage({ patches });
  });
}
