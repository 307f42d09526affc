import type { ComposeCommand } from './compose-argv.js';

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
