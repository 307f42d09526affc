import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import type { Diagnostic } from '../intent/yaml-source.js';
import { loadConfig, locateConfig } from './load.js';

const FIXTURES = join(import.meta.dirname, '../../test/fixtures/config');

async function configError(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe('E_CONFIG_INVALID');
  return err as AppError;
}

function diagnostics(err: AppError): Diagnostic[] {
  return (err.details as { diagnostics: Diagnostic[] }).diagnostics;
}

describe('invalid config fixtures report file:line:col path: reason', () => {
  const files = readdirSync(join(FIXTURES, 'invalid')).sort();
  it.each(files)('%s', async (name) => {
    const file = join(FIXTURES, 'invalid', name);
    const expected = [...readFileSync(file, 'utf8').matchAll(/^# expect: (\d+):(\d+) (\S+): (.+)$/gm)];
    expect(expected.length).toBeGreaterThan(0);
    const err = await configError(loadConfig({ path: file, env: {}, cwd: '/' }));
    const got = diagnostics(err);
    expect(got).toHaveLength(expected.length);
    for (const [, line, col, path, message] of expected) {
      const hit = got.find((d) => d.line === Number(line) && d.col === Number(col) && d.path === path);
      expect(hit, `no ${line}:${col} ${path} in ${err.message}`).toBeDefined();
      expect(hit?.message.startsWith(message as string)).toBe(true);
      // The thrown message lists every diagnostic in full, for the start-up log.
      expect(err.message).toContain(`${file}:${line}:${col} ${path}: ${message}`);
    }
  });
});

describe('loadConfig', () => {
  it('resolves relative paths against the config folder and normalises CIDRs', async () => {
    const config = await loadConfig({ path: join(FIXTURES, 'valid.yaml'), env: {}, cwd: '/elsewhere' });
    expect(config.stacksRoot).toBe(join(FIXTURES, 'stacks'));
    expect(config.intentsDir).toBe(join(FIXTURES, 'intents'));
    expect(config.dataDir).toBe('/var/lib/oresi');
    expect(config.compose).toEqual({ dialect: 'v1', passEnv: ['ORESI_EXAMPLE_IMAGE'] });
    expect(config.server.listen).toBe('[::1]:9090');
    expect(config.server.trustedProxies).toEqual(['10.0.0.1/32', '192.168.0.0/16']);
    expect(config.server.ipAllowlist).toEqual(['fd00::/8']);
    expect(config.principals[0]?.ipAllowlist).toEqual(['192.168.1.7/32']);
    expect(config.roles['ops']).toMatchObject({ intents: ['*'], actions: ['status', 'scale'] });
  });

  it('lets ORESI_* variables win over the file', async () => {
    const env = {
      ORESI_STACKS_ROOT: '/srv/stacks',
      ORESI_INTENTS_DIR: 'my-intents',
      ORESI_DATA_DIR: '',
      ORESI_COMPOSE: 'v2',
      ORESI_LISTEN: '0.0.0.0:80',
      ORESI_TRUSTED_PROXIES: ' 172.16.0.0/12 , 10.0.0.2 ',
      ORESI_IP_ALLOWLIST: '192.168.1.0/24',
    };
    const config = await loadConfig({ path: join(FIXTURES, 'valid.yaml'), env, cwd: '/work' });
    expect(config.stacksRoot).toBe('/srv/stacks');
    expect(config.intentsDir).toBe('/work/my-intents');
    expect(config.dataDir).toBe('/var/lib/oresi'); // empty counts as unset
    expect(config.compose.dialect).toBe('v2');
    expect(config.server.listen).toBe('0.0.0.0:80');
    expect(config.server.trustedProxies).toEqual(['172.16.0.0/12', '10.0.0.2/32']);
    expect(config.server.ipAllowlist).toEqual(['192.168.1.0/24']);
  });

  it('names the variable holding a bad value', async () => {
    const env = { ORESI_COMPOSE: 'v3', ORESI_TRUSTED_PROXIES: '10.0.0.0/8,0.0.0.0/0', ORESI_LISTEN: 'nope' };
    const err = await configError(loadConfig({ env, cwd: '/' }));
    expect(diagnostics(err).map((d) => d.path).sort()).toEqual(['ORESI_COMPOSE', 'ORESI_LISTEN', 'ORESI_TRUSTED_PROXIES']);
    expect(err.message).toContain('env ORESI_COMPOSE: must be one of auto, v1, v2 (got "v3")');
    expect(err.message).toContain('env ORESI_TRUSTED_PROXIES: "0.0.0.0/0" would trust every address');
  });

  it('uses defaults resolved against cwd when there is no file', async () => {
    const config = await loadConfig({ env: {}, cwd: '/srv/oresi' });
    expect(config.stacksRoot).toBe('/opt/stacks');
    expect(config.intentsDir).toBe('/srv/oresi/intents');
    expect(config.dataDir).toBe('/srv/oresi/data');
    expect(config.server.listen).toBe('127.0.0.1:8080');
  });

  it('treats an empty file as all defaults', async () => {
    const config = await loadConfig({ path: '/etc/oresi/oresi.yaml', text: '# nothing yet\n', env: {}, cwd: '/' });
    expect(config.intentsDir).toBe('/etc/oresi/intents');
  });

  it('refuses a config file that cannot be read', async () => {
    const err = await configError(loadConfig({ path: '/nonexistent/oresi.yaml', env: {}, cwd: '/' }));
    expect(err.message).toContain('cannot read config file /nonexistent/oresi.yaml');
  });
});

describe('locateConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oresi-config-'));
  mkdirSync(join(dir, 'etc'));
  writeFileSync(join(dir, 'etc', 'custom.yaml'), 'stacksRoot: /opt/stacks\n');

  it('prefers --config over ORESI_CONFIG over ./oresi.yaml', async () => {
    writeFileSync(join(dir, 'oresi.yaml'), '');
    const env = { ORESI_CONFIG: join(dir, 'oresi.yaml') };
    expect(await locateConfig({ flag: 'etc/custom.yaml', env, cwd: dir })).toBe(join(dir, 'etc', 'custom.yaml'));
    expect(await locateConfig({ env: { ORESI_CONFIG: 'etc/custom.yaml' }, cwd: dir })).toBe(join(dir, 'etc', 'custom.yaml'));
    expect(await locateConfig({ env: {}, cwd: dir })).toBe(join(dir, 'oresi.yaml'));
  });

  it('returns undefined when nothing is named and ./oresi.yaml does not exist', async () => {
    expect(await locateConfig({ env: {}, cwd: join(dir, 'etc') })).toBeUndefined();
  });

  it('refuses a named file that does not exist, naming where the name came from', async () => {
    const fromFlag = await configError(locateConfig({ flag: 'missing.yaml', env: {}, cwd: dir }));
    expect(fromFlag.message).toBe(`config file ${join(dir, 'missing.yaml')} (from --config) does not exist or is not a file; name an existing file with --config FILE or ORESI_CONFIG=FILE, or neither to use ./oresi.yaml (or the defaults without one)`);
    const fromEnv = await configError(locateConfig({ env: { ORESI_CONFIG: '/nope.yaml' }, cwd: dir }));
    expect(fromEnv.message).toContain('(from ORESI_CONFIG)');
    const aDir = await configError(locateConfig({ flag: 'etc', env: {}, cwd: dir }));
    expect(aDir.message).toContain('is not a file');
  });
});
