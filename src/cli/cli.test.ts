import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../test/helpers/cli.js';

const EXAMPLES = ['--config', 'examples/oresi.yaml'];

describe('oresi CLI', () => {
  it('--help lists the commands and exits 0', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['intents', 'plan', 'run', 'config', 'serve', 'keys', 'audit', 'redact']) expect(r.stdout).toContain(cmd);
  });

  it('an unknown command is a usage error (exit 2)', async () => {
    const r = await cli(['frobnicate']);
    expect(r.code).toBe(2);
  });

  it('intents list --json includes the upgraded original-format intent', async () => {
    const r = await cli([...EXAMPLES, '--json', 'intents', 'list']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as Array<{ name: string; deprecated: string | null; actions: string[] }>;
    const legacy = list.find((i) => i.name === 'scale_stack');
    expect(legacy?.actions).toEqual(['scale']);
    expect(legacy?.deprecated).toBeTruthy();
  });

  it('plan prints the exact argv and runs nothing', async () => {
    const r = await cli([...EXAMPLES, '--json', 'plan', 'media-scale', '--param', 'replicas=3']);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as { steps: Array<{ argv: string[] }>; params: Record<string, unknown> };
    expect(plan.params).toEqual({ service: 'plex', replicas: 3 });
    expect(plan.steps[0]?.argv.slice(-3)).toEqual(['--scale', 'plex=3', 'plex']);
  });

  it('run --dry-run prints the plan in human form and exits 0', async () => {
    const r = await cli([...EXAMPLES, 'run', 'media-scale', '--param', 'replicas=2', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('plex=2');
  });

  it.each([
    [['--param', 'replicas=9'], /replicas/],
    [['--param', 'service=$(id)'], /service/],
    [['--param', 'project=x'], /unknown parameter/],
    [['--param', 'novalue'], /key=value/],
  ])('bad parameters %j exit 2 with a message', async (args, message) => {
    const r = await cli([...EXAMPLES, 'plan', 'media-scale', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('an unknown intent exits 2 with E_INTENT_NOT_FOUND', async () => {
    const r = await cli([...EXAMPLES, 'plan', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('E_INTENT_NOT_FOUND');
  });

  it('intents validate reports file:line:col and exits 1 for a bad intent', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oresi-cli-'));
    await writeFile(join(dir, 'oresi.yaml'), 'stacksRoot: ./stacks\nintentsDir: ./intents\n');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dir, 'intents'));
    await writeFile(join(dir, 'intents', 'bad.yaml'), 'command: "docker compose up -d"\n');
    const r = await cli(['--config', join(dir, 'oresi.yaml'), 'intents', 'validate']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/bad\.yaml:1:1/);
    expect(r.stdout).toMatch(/shell/i);
  });

  it('config check exits 1 naming the file and line of an unknown key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oresi-cli-'));
    await writeFile(join(dir, 'oresi.yaml'), 'stacksRoot: ./stacks\nserver:\n  listen: 127.0.0.1:8080\n  trustProxy: true\n');
    const r = await cli(['--config', join(dir, 'oresi.yaml'), 'config', 'check']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/oresi\.yaml:4:\d+/);
    expect(r.stderr).toContain('trustProxy');
  });

  it('config check on the examples passes', async () => {
    const r = await cli([...EXAMPLES, '--json', 'config', 'check']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, stacks: ['stack-media', 'stack-tools', 'stack-web'] });
  });

  it('keys new prints a high-entropy key once and its SHA-256 for the config', async () => {
    const r = await cli(['--json', 'keys', 'new', 'alice']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { key: string; entry: { sha256: string } };
    expect(out.key.length).toBeGreaterThanOrEqual(40);
    expect(out.entry.sha256).toBe(createHash('sha256').update(out.key).digest('hex'));
  });

  it('policy check names file:line:col of a bad policy and exits 1; policy schema prints a JSON Schema', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oresi-policy-'));
    await writeFile(join(dir, 'policy.yaml'), 'redaction:\n  marker: "[x]"\n  safeKey: [TZ]\n');
    const bad = await cli(['policy', 'check', join(dir, 'policy.yaml')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/policy\.yaml:3:\d+/);
    await writeFile(join(dir, 'good.yaml'), 'redaction:\n  safeKeys: [TZ, PUID]\n');
    expect((await cli(['policy', 'check', join(dir, 'good.yaml')])).code).toBe(0);
    const schema = await cli(['policy', 'schema']);
    expect(JSON.parse(schema.stdout)).toHaveProperty('properties.redaction');
  });

  it('intents schema prints a JSON Schema', async () => {
    const r = await cli(['intents', 'schema']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveProperty('properties.apiVersion');
  });
});

describe('oresi redact', () => {
  it('keeps the original redact_env.py behaviour with the default policy', async () => {
    const { readFile } = await import('node:fs/promises');
    const input = await readFile('test/fixtures/redact/basic.env', 'utf8');
    const expected = await readFile('test/fixtures/redact/basic.expected.env', 'utf8');
    const r = await cli(['redact', '--no-stack-secrets'], { stdin: input });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(expected);
  });

  it('--text redacts tokens in free text read from a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oresi-redact-'));
    const token = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
    await writeFile(join(dir, 'log.txt'), `pushing with ${token} now\n`);
    const r = await cli(['redact', '--text', '--no-stack-secrets', join(dir, 'log.txt')]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain(token);
    expect(r.stdout).toContain('***REDACTED***');
  });
});
