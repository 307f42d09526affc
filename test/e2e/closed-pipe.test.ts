import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSqliteAuditStore } from '../../src/audit/sqlite-store.js';
import { runCli } from './engine.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Runs the built CLI with its stdout read by a reader that stops after the first chunk, the way
 * `| head -c 10` does, and reports how the process ended.
 */
function runIntoClosingReader(args: string[]): Promise<{ code: number | null; signal: string | null; stderr: string; read: number }> {
  const child = spawn(process.execPath, [join(repo, 'dist/main.js'), ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let read = 0;
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  child.stdout.once('data', (chunk: Buffer) => {
    read = Math.min(10, chunk.length);
    child.stdout.destroy();
  });
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr, read })));
}

describe('a closed stdout pipe ends a command quietly (the built CLI)', () => {
  let root = '';
  let config = '';

  beforeAll(async () => {
    const build = await runCli(['npm', 'run', 'build'], { cwd: repo, timeoutMs: 120_000 });
    if (build.exitCode !== 0) throw new Error(`build failed: ${build.stderr}${build.stdout}`);
    root = await mkdtemp(join(tmpdir(), 'oresi-pipe-'));
    config = join(root, 'oresi.yaml');
    await writeFile(config, 'stacksRoot: ./stacks\nintentsDir: ./intents\ndataDir: .\n');
    // Far more than a pipe buffer (64 KiB) of audit lines, so the writer is still writing when the reader leaves.
    const store = createSqliteAuditStore({ path: join(root, 'audit.db'), now: () => Date.now() });
    for (let i = 0; i < 2000; i++) await store.append({ type: 'config.loaded', actor: 'test', data: { note: 'x'.repeat(500), i } });
    store.close();
    await writeFile(join(root, 'big.log'), 'line of a long log with nothing secret in it\n'.repeat(200_000));
  }, 180_000);

  it.each([
    ['audit export --jsonl', () => ['audit', 'export', '--jsonl', '--config', config]],
    ['redact --text (streaming)', () => ['redact', '--text', join(root, 'big.log')]],
  ])('%s | head -c 10 → exit 141, nothing on stderr', async (_name, args) => {
    const out = await runIntoClosingReader(args());
    expect(out.read).toBe(10);
    expect(out.stderr).toBe('');
    expect({ code: out.code, signal: out.signal }).toEqual({ code: 141, signal: null });
  }, 60_000);
});
