import { describe, expect, it } from 'vitest';
import { compareContainers, parseHealth, toComposeContainer } from './compose-containers.js';
import { RawContainer } from './engine-types.js';

describe('parseHealth', () => {
  it.each([
    [undefined, 'Up 5 minutes (healthy)', 'healthy'],
    [undefined, 'Up 5 seconds (health: starting)', 'starting'],
    [undefined, 'Up 2 hours (unhealthy)', 'unhealthy'],
    [undefined, 'Up 2 hours', null],
    [undefined, 'Exited (1) 3 minutes ago', null],
    ['healthy', 'Up 1 second (health: starting)', 'healthy'],
    ['none', 'Up 1 second', null],
  ] as const)('%s / %s → %s', (field, status, want) => {
    expect(parseHealth(field, status)).toBe(want);
  });
});

describe('toComposeContainer', () => {
  it('maps compose labels and tolerates missing fields', () => {
    const raw = RawContainer.parse({
      Id: 'abc', Names: ['/media-web-2'], Image: 'img:1', ImageID: 'sha256:1', Created: 1700000000,
      State: 'running', Status: 'Up 1 minute (healthy)',
      Labels: {
        'com.docker.compose.project': 'media', 'com.docker.compose.service': 'web',
        'com.docker.compose.container-number': '2', 'com.docker.compose.config-hash': 'h',
        'com.docker.compose.version': '1.29.2', 'com.docker.compose.project.working_dir': '/opt/stacks/media',
        'com.docker.compose.project.config_files': '/opt/stacks/media/compose.yaml,/opt/stacks/media/x.yaml',
      },
    });
    expect(toComposeContainer(raw)).toMatchObject({
      id: 'abc', name: 'media-web-2', project: 'media', service: 'web', number: 2, state: 'running',
      health: 'healthy', created: 1700000000000, configHash: 'h', composeVersion: '1.29.2',
      workingDir: '/opt/stacks/media', configFiles: ['/opt/stacks/media/compose.yaml', '/opt/stacks/media/x.yaml'],
    });
    const bare = toComposeContainer(RawContainer.parse({ Id: 'x', Labels: { 'com.docker.compose.project': 'p' } }));
    expect(bare).toMatchObject({ name: '', service: '', number: null, configHash: null, configFiles: [] });
    expect(toComposeContainer(RawContainer.parse({ Id: 'y', Labels: null }))).toBeNull();
  });

  it('sorts by project, service and number', () => {
    const mk = (project: string, service: string, n: number) =>
      toComposeContainer(RawContainer.parse({
        Id: `${project}${service}${n}`,
        Labels: { 'com.docker.compose.project': project, 'com.docker.compose.service': service, 'com.docker.compose.container-number': String(n) },
      }))!;
    const sorted = [mk('b', 'web', 1), mk('a', 'web', 10), mk('a', 'web', 2), mk('a', 'db', 1)].sort(compareContainers);
    expect(sorted.map((c) => c.id)).toEqual(['adb1', 'aweb2', 'aweb10', 'bweb1']);
  });
});
