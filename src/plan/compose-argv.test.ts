import { describe, expect, it } from 'vitest';
import { buildComposeArgv, buildComposeCommand, buildEnvFileArgs, type ComposeCommand } from './compose-argv.js';
import type { StackFacts } from './types.js';

const facts: StackFacts = {
  name: 'stack-media',
  dir: '/opt/stacks/stack-media',
  composeFile: '/opt/stacks/stack-media/compose.yaml',
  envFiles: ['/opt/stacks/global.env', '/opt/stacks/stack-media/.env'],
  services: ['plex'],
};
const prefix = [
  '--project-name', 'stack-media',
  '--project-directory', '/opt/stacks/stack-media',
  '--file', '/opt/stacks/stack-media/compose.yaml',
];

describe('buildComposeArgv', () => {
  it('v2 uses the docker compose plugin and lists every env file in order', () => {
    expect(buildComposeArgv('v2', facts, { action: 'status' })).toEqual([
      'docker', 'compose', ...prefix,
      '--env-file', '/opt/stacks/global.env', '--env-file', '/opt/stacks/stack-media/.env',
      'ps', '--all',
    ]);
  });

  it('v1 uses docker-compose with only the last env file', () => {
    expect(buildComposeArgv('v1', facts, { action: 'down' })).toEqual([
      'docker-compose', ...prefix, '--env-file', '/opt/stacks/stack-media/.env', 'down', '--remove-orphans',
    ]);
  });
});

describe('buildEnvFileArgs', () => {
  it('passes nothing when there are no env files', () => {
    expect(buildEnvFileArgs('v1', [])).toEqual([]);
    expect(buildEnvFileArgs('v2', [])).toEqual([]);
  });
  it('v1 falls back to global.env when the stack has no .env', () => {
    expect(buildEnvFileArgs('v1', ['/opt/stacks/global.env'])).toEqual(['--env-file', '/opt/stacks/global.env']);
  });
});

describe('buildComposeCommand', () => {
  it.each<[ComposeCommand, string[]]>([
    [{ action: 'status' }, ['ps', '--all']],
    [{ action: 'logs', tail: 100 }, ['logs', '--no-color', '--tail', '100']],
    [{ action: 'logs', tail: 5, service: 'plex' }, ['logs', '--no-color', '--tail', '5', 'plex']],
    [{ action: 'restart' }, ['restart']],
    [{ action: 'restart', service: 'plex' }, ['restart', 'plex']],
    [{ action: 'scale', service: 'plex', replicas: 2 }, ['up', '--detach', '--no-deps', '--no-recreate', '--scale', 'plex=2', 'plex']],
    [{ action: 'pull' }, ['pull']],
    [{ action: 'pull', service: 'plex' }, ['pull', 'plex']],
    [{ action: 'up' }, ['up', '--detach', '--remove-orphans']],
    [{ action: 'up', service: 'plex' }, ['up', '--detach', 'plex']],
    [{ action: 'down' }, ['down', '--remove-orphans']],
  ])('%j', (cmd, argv) => {
    expect(buildComposeCommand(cmd)).toEqual(argv);
  });
});
