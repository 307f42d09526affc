import type { ComposeDialect, StackFacts } from './types.js';

/**
 * One compose invocation, with every value already resolved and checked. `rollout` is not here:
 * the planner expands it into `pull` then `up`, so each argv does exactly one thing.
 */
export type ComposeCommand =
  | { action: 'status' }
  | { action: 'logs'; tail: number; service?: string }
  | { action: 'restart'; service?: string }
  | { action: 'scale'; service: string; replicas: number }
  | { action: 'pull'; service?: string }
  | { action: 'up'; service?: string }
  | { action: 'down' };

/**
 * The fixed part of every compose argv. The project name, folder and file are always explicit so
 * compose never guesses them from the working directory or from environment variables.
 */
export function buildComposePrefix(dialect: ComposeDialect, facts: StackFacts): string[] {
  const program = dialect === 'v2' ? ['docker', 'compose'] : ['docker-compose'];
  return [
    ...program,
    '--project-name', facts.name,
    '--project-directory', facts.dir,
    '--file', facts.composeFile,
    ...buildEnvFileArgs(dialect, facts.envFiles),
  ];
}

/**
 * v2 stops reading the default `.env` once any `--env-file` is given, so every file is listed,
 * global.env first, the stack's `.env` last (later files win), as Dockge does.
 * v1 (docker-compose 1.29) accepts a single `--env-file`: it gets only the last entry, i.e. the
 * stack's `.env` when there is one, else global.env. Using global.env and .env together needs v2.
 */
export function buildEnvFileArgs(dialect: ComposeDialect, envFiles: readonly string[]): string[] {
  if (dialect === 'v1') {
    const last = envFiles[envFiles.length - 1];
    return last === undefined ? [] : ['--env-file', last];
  }
  return envFiles.flatMap((file) => ['--env-file', file]);
}

/** The subcommand and its arguments; service names come last so they can never be read as options' values. */
export function buildComposeCommand(cmd: ComposeCommand): string[] {
  switch (cmd.action) {
    case 'status':
      return ['ps', '--all'];
    case 'logs':
      return ['logs', '--no-color', '--tail', String(cmd.tail), ...optional(cmd.service)];
    case 'restart':
      return ['restart', ...optional(cmd.service)];
    case 'scale':
      return ['up', '--detach', '--no-deps', '--no-recreate', '--scale', `${cmd.service}=${cmd.replicas}`, cmd.service];
    case 'pull':
      return ['pull', ...optional(cmd.service)];
    case 'up':
      return cmd.service === undefined ? ['up', '--detach', '--remove-orphans'] : ['up', '--detach', cmd.service];
    case 'down':
      return ['down', '--remove-orphans'];
  }
}

export function buildComposeArgv(dialect: ComposeDialect, facts: StackFacts, cmd: ComposeCommand): string[] {
  return [...buildComposePrefix(dialect, facts), ...buildComposeCommand(cmd)];
}

function optional(service: string | undefined): string[] {
  return service === undefined ? [] : [service];
}
