import type { ComposeCommand } from './compose-argv.js';
import type { RollbackSpec, RolloutSpec } from './types.js';

/** One line for people, e.g. "scale plex to 2 in stack-media". */
export function describeCommand(cmd: ComposeCommand, stack: string): string {
  switch (cmd.action) {
    case 'status':
      return `show the status of every container in ${stack}`;
    case 'logs':
      return `show the last ${cmd.tail} log lines of ${target(cmd.service, stack)}`;
    case 'restart':
      return `restart ${target(cmd.service, stack)}`;
    case 'scale':
      return `scale ${cmd.service} to ${cmd.replicas} in ${stack}`;
    case 'pull':
      return `pull images for ${target(cmd.service, stack)}`;
    case 'up':
      return cmd.service === undefined
        ? `start or update every service in ${stack} and remove orphans`
        : `start or update ${cmd.service} in ${stack}`;
    case 'down':
      return `stop and remove every container of ${stack} and remove orphans`;
  }
}

function target(service: string | undefined, stack: string): string {
  return service === undefined ? `every service in ${stack}` : `${service} in ${stack}`;
}

export function describeRollout(spec: RolloutSpec, stack: string): string {
  const what = spec.services === undefined ? `stack ${stack}` : `${spec.services.join(', ')} in ${stack}`;
  const pull = spec.pull ? 'pull, ' : '';
  return `roll out ${what}: ${pull}up, wait up to ${spec.healthTimeoutMs / 1000}s for health, roll back automatically on failure`;
}

export function describeRollback(spec: RollbackSpec, stack: string): string {
  const to = spec.to === undefined ? 'its newest rollback point' : `rollout ${spec.to}`;
  return `roll back stack ${stack} to ${to}: up with the recorded images pinned, wait for health, verify the image ids`;
}
