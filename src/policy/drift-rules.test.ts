import { describe, expect, it } from 'vitest';
import { compareFields, judgeConfig } from './drift-config.js';
import { evaluateDrift, isClean } from './drift-rules.js';
import type { ContainerDetail, DeclaredService, DriftInput, ObservedContainer, StackModel } from './drift-types.js';

const IMG = 'reg/app:1.2.3';
const T0 = 1_700_000_000_000;

function svc(name: string, over: Partial<DeclaredService> = {}): DeclaredService {
  return {
    name, image: IMG, replicas: 1, command: ['sleep', '600'], environment: {}, ports: [], volumeTargets: [],
    labels: {}, healthcheck: false, optional: false, unresolved: [], ...over,
  };
}
function stack(name: string, services: DeclaredService[]): StackModel {
  return { name, dir: `/opt/stacks/${name}`, composeFile: `/opt/stacks/${name}/compose.yaml`, services };
}
function ctr(project: string, service: string, n = 1, over: Partial<ObservedContainer> = {}): ObservedContainer {
  return {
    id: `${project}-${service}-${n}`, name: `${project}_${service}_${n}`, project, service, state: 'running',
    status: 'Up 1 minute', health: null, image: IMG, imageId: 'sha256:aaa', created: T0 + 10_000, labels: {},
    configHash: 'h-web', composeVersion: '1.29.2', workingDir: `/opt/stacks/${project}`, ...over,
  };
}
function input(over: Partial<DriftInput> = {}): DriftInput {
  const stacks = over.stacks ?? [stack('media', [svc('web')])];
  return {
    stacks, containers: [ctr('media', 'web')], images: { [IMG]: { id: 'sha256:aaa', repoDigests: [] } },
    definitions: Object.fromEntries(stacks.map((s) => [s.name, { filesChangedAt: T0, hashes: null }])),
    details: {}, localComposeVersion: '1.29.2', dialect: 'v1', git: null, ...over,
  };
}
const kinds = (i: DriftInput) => evaluateDrift(i).map((f) => f.kind);

describe('evaluateDrift', () => {
  it('finds nothing when declared and running agree', () => {
    expect(evaluateDrift(input())).toEqual([]);
  });

  it.each<[string, Partial<DriftInput>, string[]]>([
    ['no container of a declared service', { containers: [ctr('media', 'web', 1, { state: 'exited', status: 'Exited (0)' })] }, ['missing_service', 'stopped']],
    ['too many replicas', { containers: [ctr('media', 'web', 1), ctr('media', 'web', 2)] }, ['replica_mismatch']],
    ['an undeclared service', { containers: [ctr('media', 'web'), ctr('media', 'ghost')] }, ['orphan']],
    ['an unhealthy container', { containers: [ctr('media', 'web', 1, { health: 'unhealthy' })] }, ['unhealthy']],
    ['a restarting container', { containers: [ctr('media', 'web', 1, { state: 'restarting' })] }, ['unhealthy', 'missing_service']],
    ['a tag that moved', { images: { [IMG]: { id: 'sha256:bbb', repoDigests: [] } } }, ['stale_image']],
    ['a stack with nothing deployed', { containers: [] }, ['unmanaged']],
    ['a project with no stack folder', { containers: [ctr('media', 'web'), ctr('other', 'x')] }, ['unmanaged']],
    ['uncommitted files', { git: { media: ['media/compose.yaml'] } }, ['uncommitted']],
  ])('%s', (_name, over, want) => {
    expect(kinds(input(over)).sort()).toEqual([...want].sort());
  });

  it('reports :latest and floating tags with their severities', () => {
    const s = stack('media', [svc('web', { image: 'app:latest' }), svc('db', { image: 'pg:16' })]);
    const found = evaluateDrift(input({ stacks: [s], containers: [ctr('media', 'web', 1, { image: 'app:latest' }), ctr('media', 'db', 1, { image: 'pg:16' })] }));
    expect(found.map((f) => [f.kind, f.service, f.severity])).toEqual([
      ['unpinned_image', 'web', 'error'],
      ['unpinned_image', 'db', 'warning'],
    ]);
  });

  it('ignores one-off containers and optional (profile) services', () => {
    const s = stack('media', [svc('web'), svc('debug', { optional: true })]);
    const oneoff = ctr('media', 'ghost', 1, { labels: { 'com.docker.compose.oneoff': 'True' } });
    expect(evaluateDrift(input({ stacks: [s], containers: [ctr('media', 'web'), oneoff] }))).toEqual([]);
  });

  it('with `only`, reports that stack and nothing about other projects', () => {
    const stacks = [stack('media', [svc('web')]), stack('dns', [svc('web')])];
    const found = evaluateDrift(input({ stacks, containers: [ctr('other', 'x')], only: 'dns' }));
    expect(found.map((f) => [f.stack, f.kind])).toEqual([['dns', 'unmanaged']]);
  });

  it('does not call an image change in the file a stale image (it is config drift)', () => {
    const s = stack('media', [svc('web', { image: 'reg/app:2.0.0' })]);
    const found = evaluateDrift(input({ stacks: [s], images: { 'reg/app:2.0.0': { id: 'sha256:new', repoDigests: [] }, [IMG]: { id: 'sha256:aaa', repoDigests: [] } },
      definitions: { media: { filesChangedAt: T0 + 20_000, hashes: null } } }));
    expect(found.map((f) => f.kind)).toEqual(['config_drift']);
    expect(found[0]?.message).toContain(`image (${IMG} → reg/app:2.0.0)`);
  });

  it('counts only errors and warnings as drift', () => {
    expect(isClean([{ kind: 'remote_update', severity: 'info', stack: 's', message: 'm' }])).toBe(true);
    expect(isClean([{ kind: 'orphan', severity: 'warning', stack: 's', message: 'm' }])).toBe(false);
  });
});

describe('judgeConfig', () => {
  const s = stack('media', [svc('web')]);
  const web = svc('web');
  const ctx = (over: Partial<Parameters<typeof judgeConfig>[2]> = {}) => ({
    stack: s, def: { filesChangedAt: T0 + 20_000, hashes: { web: 'h-web' } }, localComposeVersion: '1.29.2',
    dialect: 'v1' as const, image: { id: 'sha256:aaa', repoDigests: [] }, detail: undefined, ...over,
  });

  it('trusts files older than the container without asking for a hash', () => {
    expect(judgeConfig(ctr('media', 'web'), web, ctx({ def: { filesChangedAt: T0, hashes: null } }))).toEqual({ status: 'same' });
  });

  it('does not trust the file age for a container made from another folder', () => {
    const c = ctr('media', 'web', 1, { workingDir: '/elsewhere', configHash: 'other' });
    expect(judgeConfig(c, web, ctx({ def: { filesChangedAt: T0, hashes: { web: 'h-web' } } }))).toMatchObject({ status: 'changed', method: 'hash' });
  });

  it('compares the hash when the same compose version made the container', () => {
    expect(judgeConfig(ctr('media', 'web'), web, ctx())).toEqual({ status: 'same' });
    expect(judgeConfig(ctr('media', 'web', 1, { configHash: 'old' }), web, ctx())).toMatchObject({ status: 'changed', method: 'hash' });
  });

  it('falls back to fields for another compose version, or a v1 container on an older image', () => {
    const detail: ContainerDetail = { image: IMG, command: ['sleep', '601'], env: [], labels: {}, portBindings: {}, mountTargets: [] };
    const other = ctr('media', 'web', 1, { composeVersion: '2.24.0', configHash: 'x' });
    expect(judgeConfig(other, web, ctx({ detail }))).toEqual({ status: 'changed', method: 'fields', changes: ['command'] });
    const older = ctr('media', 'web', 1, { imageId: 'sha256:old', configHash: 'x' });
    expect(judgeConfig(older, web, ctx({ detail: { ...detail, command: ['sleep', '600'] } }))).toEqual({ status: 'same' });
    expect(judgeConfig(older, web, ctx())).toMatchObject({ status: 'unknown' });
  });
});

describe('compareFields', () => {
  const detail: ContainerDetail = {
    image: IMG, command: ['sleep', '600'], env: ['PATH=/bin', 'TZ=UTC', 'TOKEN=s3cret'], labels: { tier: 'front' },
    portBindings: { '80/tcp': [{ hostIp: '0.0.0.0', hostPort: '8080' }] }, mountTargets: ['/data'],
  };
  const declared = svc('web', {
    environment: { TZ: 'UTC', TOKEN: 's3cret', HOME: null }, labels: { tier: 'front' },
    ports: [{ hostIp: '', published: '8080', target: '80', protocol: 'tcp' }], volumeTargets: ['/data'],
  });

  it('finds no change when every declared field matches', () => {
    expect(compareFields(declared, detail)).toEqual([]);
  });

  it('names changed fields, never env values', () => {
    const changed = compareFields({ ...declared, environment: { TOKEN: 'n3w' }, labels: { tier: 'back' }, volumeTargets: ['/cfg'] },
      { ...detail, portBindings: { '80/tcp': [{ hostIp: '', hostPort: '9090' }] } });
    expect(changed).toEqual(['environment TOKEN', 'ports', 'volume /cfg', 'label tier']);
    expect(changed.join(' ')).not.toContain('n3w');
  });

  it('skips fields that hold unresolved variables', () => {
    expect(compareFields({ ...declared, command: ['x'], unresolved: ['command'] }, detail)).toEqual([]);
  });
});

