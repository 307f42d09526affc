// Redaction throughput: 200 known secrets + every built-in pattern over ~64 MB of log text,
// against a plain copy of the same bytes measured in the same run.
//
//   npm run build && node bench/redact.mjs            (imports ../dist/policy/*.js)
//   ORESI_DIST=/tmp/oresi-dist node bench/redact.mjs  (a build of just src/policy elsewhere)
//   BENCH_MB=16 node bench/redact.mjs                 (smaller input)
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const dist = resolve(process.env.ORESI_DIST ?? new URL('../dist', import.meta.url).pathname);
const { createRedactor } = await import(pathToFileURL(`${dist}/policy/redact.js`).href);

const TARGET_MB = Number(process.env.BENCH_MB ?? 64);
const CHUNK = 64 * 1024;

// Deterministic input: a small LCG, so runs are comparable.
let seed = 42;
const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const pick = (list) => list[Math.floor(rand() * list.length)];
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const word = (n) => Array.from({ length: n }, () => pick(ALNUM)).join('');

const secrets = Array.from({ length: 200 }, () => word(12 + Math.floor(rand() * 29)));
const tokens = [
  () => `ghp_${word(36)}`,
  () => `password=${word(12)}`,
  () => `Authorization: Bearer ${word(32)}`,
  () => `postgres://app:${word(10)}@db:5432/app`,
  () => `eyJ${word(20)}.eyJ${word(40)}.${word(43)}`,
  () => `AKIA${word(16).toUpperCase()}`,
];
const services = ['plex', 'sonarr', 'radarr', 'nextcloud', 'traefik', 'postgres', 'redis', 'ollama'];
const messages = [
  () => `GET /api/v3/queue?page=${Math.floor(rand() * 50)} 200 ${Math.floor(rand() * 900)}ms`,
  () => `INFO  Scanning library section ${Math.floor(rand() * 9)} (${Math.floor(rand() * 5000)} items)`,
  () => `WARN  slow query took ${Math.floor(rand() * 5000)}ms: SELECT * FROM items WHERE id = $1`,
  () => `level=info msg="health check ok" duration=${(rand() * 3).toFixed(3)}s`,
  () => `172.18.0.${Math.floor(rand() * 255)} - - "POST /index.php/apps/files HTTP/1.1" 207 1532 "-" "Mozilla/5.0"`,
];

function logLine(i) {
  const ts = new Date(1_761_825_600_000 + i * 37).toISOString();
  let msg = pick(messages)();
  const roll = rand();
  if (roll < 0.01) msg += ` using key ${pick(secrets)}`;
  else if (roll < 0.015) msg += ` ${pick(tokens)()}`;
  return `${ts} ${pick(services).padEnd(10)}| ${msg}\n`;
}

const lines = [];
let size = 0;
for (let i = 0; size < TARGET_MB * 1_000_000; i += 1) {
  const line = logLine(i);
  lines.push(line);
  size += line.length;
}
const text = lines.join('');
const chunks = [];
for (let i = 0; i < text.length; i += CHUNK) chunks.push(text.slice(i, i + CHUNK));
const mb = text.length / 1_000_000;

function measure(name, fn) {
  fn(); // warm up on the same input (JIT, regex compilation)
  const runs = [];
  let check = 0;
  for (let i = 0; i < 3; i += 1) {
    const t0 = performance.now();
    check = fn();
    runs.push(performance.now() - t0);
  }
  const best = Math.min(...runs);
  return { name, ms: best, mbps: mb / (best / 1000), check };
}

const results = [];
results.push(measure('copy: Buffer.from(text) (UTF-8 encode)', () => Buffer.from(text).length));
results.push(measure('copy: Buffer.from per 64 KiB chunk', () => {
  let n = 0;
  for (const c of chunks) n += Buffer.from(c).length;
  return n;
}));
for (const engine of ['alternation', 'aho-corasick']) {
  const r = createRedactor({ secrets, engine });
  results.push(measure(`redact(whole), ${engine}`, () => r.redact(text).length));
  results.push(measure(`stream (64 KiB chunks), ${engine}`, () => {
    const s = r.stream();
    let n = 0;
    for (const c of chunks) n += s.push(c).length;
    return n + s.end().length;
  }));
}
const patternsOnly = createRedactor({ secrets: [] });
results.push(measure('redact(whole), patterns only', () => patternsOnly.redact(text).length));
for (const engine of ['alternation', 'aho-corasick']) {
  const secretsOnly = createRedactor({ secrets, patterns: [], privateKeys: false, engine });
  results.push(measure(`redact(whole), 200 secrets only, ${engine}`, () => secretsOnly.redact(text).length));
}

const base = results[0].mbps;
console.log(`input: ${mb.toFixed(1)} MB, ${lines.length} lines, ${secrets.length} secrets; node ${process.version}`);
console.log(`${'case'.padEnd(48)} ${'ms'.padStart(8)} ${'MB/s'.padStart(9)} ${'vs copy'.padStart(9)}`);
for (const r of results) {
  console.log(`${r.name.padEnd(48)} ${r.ms.toFixed(0).padStart(8)} ${r.mbps.toFixed(1).padStart(9)} ${(r.mbps / base).toFixed(3).padStart(9)}`);
}
