import { AppError } from '../errors.js';
import { NAME_PATTERN } from '../intent/names.js';
import { buildComposeArgv, buildComposePrefix } from '../plan/compose-argv.js';
import type { ComposeDialect, StackFacts } from '../plan/types.js';

/**
 * Argv templates for a rollout. Compose argv always starts with the planner's prefix (explicit
 * project, folder, file, env files); caller-influenced values are service names already checked
 * against the stack, placed last so they can never be read as options.
 */
export function buildTagArgv(imageId: string, tag: string): string[] {
  return ['docker', 'tag', imageId, tag];
}

export function buildPullArgv(dialect: ComposeDialect, facts: StackFacts, services: readonly string[] | undefined): string[] {
  if (services === undefined) return buildComposeArgv(dialect, facts, { action: 'pull' });
  return [...buildComposePrefix(dialect, facts), 'pull', ...services];
}

/** Whole stack: `up --detach --remove-orphans`; limited: `up --detach <services>` (orphans are left alone). */
export function buildUpArgv(dialect: ComposeDialect, facts: StackFacts, services: readonly string[] | undefined): string[] {
  if (services === undefined) return buildComposeArgv(dialect, facts, { action: 'up' });
  return [...buildComposePrefix(dialect, facts), 'up', '--detach', ...services];
}

/**
 * The stack's own compose file, then the override pinning images: later files win, so only
 * `image:` changes. No --remove-orphans: a rollback restores images, it does not prune.
 */
export function buildRestoreUpArgv(
  dialect: ComposeDialect,
  facts: StackFacts,
  overrideFile: string,
  services: readonly string[] | undefined,
): string[] {
  return [...buildComposePrefix(dialect, facts), '--file', overrideFile, 'up', '--detach', ...(services ?? [])];
}

/** Requested services must be valid names declared by the stack; returns them deduplicated, in order. */
export function checkServices(facts: StackFacts, services: readonly string[] | undefined): string[] | undefined {
  if (services === undefined) return undefined;
  if (services.length === 0) {
    throw new AppError('E_PARAM_INVALID', `Stack ${facts.name}: an empty service list; omit it to roll out every service.`);
  }
  const out: string[] = [];
  for (const s of services) {
    if (!NAME_PATTERN.test(s)) {
      throw new AppError('E_PARAM_INVALID', `Service ${JSON.stringify(s)} must match ${NAME_PATTERN.source}.`);
    }
    if (!facts.services.includes(s)) {
      throw new AppError('E_SERVICE_UNKNOWN', `Stack ${facts.name} declares no service ${s} (it has: ${facts.services.join(', ') || 'none'}).`);
    }
    if (!out.includes(s)) out.push(s);
  }
  return out;
}
