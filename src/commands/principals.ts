import type { Config } from '../config/schema.js';
import { AppError } from '../errors.js';
import type { Principal } from '../model.js';

/**
 * Role names → role definitions, shared by every edge that maps an outside identity (API key,
 * Discord or Slack user) onto a configured principal. An unknown role is a config error that
 * stops start-up, naming the setting.
 */
export function resolveRoles(config: Config, name: string, roleNames: string[], where: string): Principal['roles'] {
  return roleNames.map((role) => {
    const found = config.roles[role];
    if (!found) {
      const known = Object.keys(config.roles);
      throw new AppError('E_CONFIG_INVALID', `${where}.roles: principal ${name} has unknown role ${JSON.stringify(role)} (defined roles: ${known.length ? known.join(', ') : 'none'})`);
    }
    return found;
  });
}

/**
 * The configured principal called `name`, as `via` would present it. Throws E_CONFIG_INVALID when
 * no principal has that name, so a mapping to a typo stops start-up.
 */
export function principalByName(config: Config, name: string, via: Principal['via'], where: string): Principal {
  const index = config.principals.findIndex((p) => p.name === name);
  const p = config.principals[index];
  if (!p) {
    const known = config.principals.map((x) => x.name);
    throw new AppError('E_CONFIG_INVALID', `${where}: no principal named ${JSON.stringify(name)} (principals: ${known.length ? known.join(', ') : 'none'})`);
  }
  return { name: p.name, roleNames: [...p.roles], roles: resolveRoles(config, p.name, p.roles, `principals[${index}]`), via };
}
