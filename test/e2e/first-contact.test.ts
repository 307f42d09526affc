/**
 * A newcomer's first commands, on the built CLI (dist/main.js) in fresh temp folders: errors
 * about a missing config, intents folder or stacks root say where oresi looked and how to point
 * it elsewhere, and the README's commands work as written in a clone.
 */
import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './engine.js';

const repo = resolve(import.meta.dirname, '../..');
const main = join(repo, 'dist/main.js');
/** Only what a shell would have: no ORESI_* from the developer's environment. */
const env = { ORESI_CONFIG: '', ORESI_INTENTS_DIR: '', ORESI_STACKS_ROOT: '' };
const oresi = (cwd: string, args: string[], extra: Record<string, string> = {}) =>
  runCli([process.execPath, main, ...args], { cwd, env: { ...env, ...extra } });

describe('first contact with the built CLI', () => {
  beforeAll(async () => {
    const build = await runCli(['npm', 'run', 'build'], { cwd: repo, timeoutMs: 120_000 });
    if (build.exitCode !== 0) throw new Error(`build failed: ${build.stderr}${build.stdout}`);
  });

  it('without a config, a missing intents folder names the default, the three places looked and --config', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oresi-first-'));
    const r = await oresi(dir, ['intents', 'list']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`intentsDir ${join(dir, 'intents')} cannot be read`);
    expect(r.stderr).toContain(`no --config, ORESI_CONFIG unset, no oresi.yaml in ${dir}`);
    expect(r.stderr).toContain('--config FILE or ORESI_CONFIG=FILE');
    expect(r.stderr).toContain('ORESI_INTENTS_DIR');
  });

  it('in a clone (examples/oresi.yaml beside it), the hint names the example config', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oresi-clone-'));
    await cp(join(repo, 'examples'), join(dir, 'examples'), { recursive: true });
    const r = await oresi(dir, ['intents', 'list']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('in a clone of oresi: --config examples/oresi.yaml');
    const ok = await oresi(dir, ['--config', 'examples/oresi.yaml', 'intents', 'list']);
    expect(ok.stderr).toBe('');
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toContain('media-status');
  });

  it('a folder named by an environment variable is blamed on that variable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oresi-env-'));
    const r = await oresi(dir, ['intents', 'list'], { ORESI_INTENTS_DIR: '/nonexistent/intents' });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('intentsDir was set by ORESI_INTENTS_DIR=/nonexistent/intents; unset it or');
  });

  it('a missing stacks root set in a config file names that file and the flag that chose it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oresi-file-'));
    await mkdir(join(dir, 'intents'));
    const file = join(dir, 'custom.yaml');
    await writeFile(file, 'stacksRoot: ./no-such-stacks\nintentsDir: ./intents\n');
    const r = await oresi(dir, ['--config', 'custom.yaml', 'config', 'check']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`The stacks root ${join(dir, 'no-such-stacks')} does not exist.`);
    expect(r.stderr).toContain(`stacksRoot was set in ${file}, the config file chosen by --config; edit it or point oresi elsewhere`);
  });

  it('a config named by ORESI_CONFIG that does not exist says so and how to name another', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oresi-cfg-'));
    const r = await oresi(dir, ['intents', 'list'], { ORESI_CONFIG: 'gone.yaml' });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`config file ${join(dir, 'gone.yaml')} (from ORESI_CONFIG) does not exist`);
    expect(r.stderr).toContain('--config FILE or ORESI_CONFIG=FILE');
  });
});
