import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TEST_IMAGE,
  TEST_REGISTRY,
  composeBinary,
  composeCli,
  describeEngine,
  dockerCli,
  makeStack,
  makeStacksRoot,
  removeProject,
  resolveEngineAddress,
  uniqueProjectName,
} from './engine.js';

describe('resolveEngineAddress', () => {
  it.each([
    [undefined, { socketPath: '/var/run/docker.sock' }],
    ['unix:///run/user/1000/docker.sock', { socketPath: '/run/user/1000/docker.sock' }],
    ['tcp://docker-socket-proxy:2375', { host: 'docker-socket-proxy', port: 2375 }],
    ['tcp://10.0.0.5', { host: '10.0.0.5', port: 2375 }],
  ])('%s', (dockerHost, expected) => {
    expect(resolveEngineAddress(dockerHost)).toEqual(expected);
  });
});

describe('uniqueProjectName', () => {
  it('yields names compose v1 keeps unchanged and oresi accepts', () => {
    const name = uniqueProjectName('My.App_1');
    expect(name).toMatch(/^[a-z0-9][a-z0-9-]{0,62}$/);
    expect(name).not.toBe(uniqueProjectName('My.App_1'));
  });
});

describeEngine('test bed', () => {
  const [repo, tag] = TEST_IMAGE.slice(TEST_REGISTRY.length + 1).split(':');

  it('serves the base image from the local registry', async () => {
    const res = await fetch(`http://${TEST_REGISTRY}/v2/${repo}/tags/list`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { name: string; tags: string[] | null };
    expect(body.name).toBe(repo);
    expect(body.tags).toContain(tag);
  });

  it('runs a container from the image without a network', async () => {
    const ok = await dockerCli(['run', '--rm', '--network', 'none', TEST_IMAGE, 'echo', 'bed-ok']);
    expect(ok.stderr).toBe('');
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout.trim()).toBe('bed-ok');

    // The exit status must come through, or "exit 0" above proves nothing.
    const failing = await dockerCli(['run', '--rm', '--network', 'none', TEST_IMAGE, 'sh', '-c', 'exit 3']);
    expect(failing.exitCode).toBe(3);
  });

  describe('compose', () => {
    const project = uniqueProjectName('bed');
    let dir = '';

    beforeAll(async () => {
      const root = await makeStacksRoot();
      dir = await makeStack(
        root,
        project,
        [
          'services:',
          '  hello:',
          `    image: ${TEST_IMAGE}`,
          '    network_mode: none',
          '    command: ["sh", "-c", "sleep 3600"]',
          '',
        ].join('\n'),
      );
    });
    afterAll(() => removeProject(project));

    it('brings a stack up and labels its container with the project', async () => {
      expect(['v1', 'v2']).toContain(await composeBinary());
      const up = await composeCli(['up', '-d'], { cwd: dir, project });
      expect(up.exitCode, up.stderr).toBe(0);

      const ps = await dockerCli([
        'ps', '--filter', `label=com.docker.compose.project=${project}`,
        '--format', '{{.Label "com.docker.compose.service"}} {{.State}}',
      ]);
      expect(ps.stdout.trim()).toBe('hello running');

      const exec = await composeCli(['exec', '-T', 'hello', 'cat', '/etc/hostname'], { cwd: dir, project });
      expect(exec.exitCode, exec.stderr).toBe(0);
      expect(exec.stdout.trim()).toMatch(/^[0-9a-f]{12}$/);
    });
  });
});
