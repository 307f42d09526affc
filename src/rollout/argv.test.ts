import { describe, expect, it } from 'vitest';
import type { StackFacts } from '../plan/types.js';
import { buildPullArgv, buildRestoreUpArgv, buildTagArgv, buildUpArgv, checkServices } from './argv.js';

const facts: StackFacts = {
  name: 'media',
  dir: '/opt/stacks/media',
  composeFile: '/opt/stacks/media/compose.yaml',
  envFiles: ['/opt/stacks/global.env', '/opt/stacks/media/.env'],
  services: ['web', 'db'],
};
const v1 = ['docker-compose', '--project-name', 'media', '--project-directory', '/opt/stacks/media',
  '--file', '/opt/stacks/media/compose.yaml', '--env-file', '/opt/stacks/media/.env'];

describe('rollout argv', () => {
  it('pulls and ups the whole stack with the planner prefix', () => {
    expect(buildPullArgv('v1', facts, undefined)).toEqual([...v1, 'pull']);
    expect(buildUpArgv('v1', facts, undefined)).toEqual([...v1, 'up', '--detach', '--remove-orphans']);
  });

  it('limits to services, placed last, without removing orphans', () => {
    expect(buildPullArgv('v1', facts, ['web', 'db'])).toEqual([...v1, 'pull', 'web', 'db']);
    expect(buildUpArgv('v1', facts, ['db'])).toEqual([...v1, 'up', '--detach', 'db']);
  });

  it('restores with the stack file then the override', () => {
    const argv = buildRestoreUpArgv('v2', facts, '/var/lib/oresi/rollouts/media/override-x.yaml', undefined);
    expect(argv.slice(0, 2)).toEqual(['docker', 'compose']);
    const files = argv.flatMap((a, i) => (a === '--file' ? [argv[i + 1]] : []));
    expect(files).toEqual(['/opt/stacks/media/compose.yaml', '/var/lib/oresi/rollouts/media/override-x.yaml']);
    expect(argv.slice(-2)).toEqual(['up', '--detach']);
    expect(argv.filter((a) => a === '--env-file')).toHaveLength(2);
  });

  it('tags by image id', () => {
    expect(buildTagArgv('sha256:abc', 'oresi-rollback/media-web:1')).toEqual(['docker', 'tag', 'sha256:abc', 'oresi-rollback/media-web:1']);
  });
});

describe('checkServices', () => {
  it('accepts declared services, deduplicated', () => {
    expect(checkServices(facts, undefined)).toBeUndefined();
    expect(checkServices(facts, ['db', 'web', 'db'])).toEqual(['db', 'web']);
  });
  it.each([
    [['cache'], 'E_SERVICE_UNKNOWN'],
    [['--file=/etc/x'], 'E_PARAM_INVALID'],
    [['Web'], 'E_PARAM_INVALID'],
    [[], 'E_PARAM_INVALID'],
  ])('rejects %j with %s', (services, code) => {
    expect(() => checkServices(facts, services)).toThrow(expect.objectContaining({ code }));
  });
});
