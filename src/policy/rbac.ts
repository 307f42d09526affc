import type { RoleConfig } from '../config/schema.js';
import type { Action } from '../model.js';

export type AccessMode = 'read' | 'run' | 'approve';

export interface AccessRequest {
  mode: AccessMode;
  intent: string;
  stack: string;
  actions: readonly Action[];
}

export type AccessDecision = { allowed: true; role: string } | { allowed: false; reason: string };

const compiled = new Map<string, RegExp>();

/** Matches a name against a glob of `*` and `?` only; everything else is literal. */
export function matchGlob(glob: string, name: string): boolean {
  let re = compiled.get(glob);
  if (!re) {
    let source = '^';
    for (const ch of glob) {
      if (ch === '*') source += '[^]*';
      else if (ch === '?') source += '[^]';
      else source += ch.replace(/[.+^${}()|[\]\\-]/g, '\\$&');
    }
    re = new RegExp(source + '$');
    // Globs come from config, so the map stays as small as the config.
    if (compiled.size < 10_000) compiled.set(glob, re);
  }
  return re.test(name);
}

const anyGlob = (globs: readonly string[], name: string) => globs.some((g) => matchGlob(g, name));

function roleAllows(role: RoleConfig, req: AccessRequest): string | null {
  if (!anyGlob(role.intents, req.intent)) return `intent ${req.intent} is not in its intents`;
  if (!anyGlob(role.stacks, req.stack)) return `stack ${req.stack} is not in its stacks`;
  if (req.mode === 'read') return null;
  if (req.mode === 'approve') return role.approve ? null : 'it does not grant approve';
  if (role.readOnly) return 'it is read-only';
  const actions: readonly string[] = role.actions;
  if (!actions.includes('*')) {
    const missing = req.actions.filter((a) => !actions.includes(a));
    if (missing.length > 0) return `it does not allow the action(s) ${missing.join(', ')}`;
  }
  return null;
}

/**
 * A request is allowed when at least one of the principal's roles allows all of it: the
 * intent, its stack, and every action the plan performs. Denials say why, per role, so an
 * operator can fix the config without guessing.
 */
export function authorize(
  roles: ReadonlyArray<{ name: string; role: RoleConfig }>,
  req: AccessRequest,
  opts: { admin?: boolean } = {},
): AccessDecision {
  if (opts.admin) return { allowed: true, role: 'admin' };
  if (roles.length === 0) return { allowed: false, reason: 'the principal has no roles' };
  const reasons: string[] = [];
  for (const { name, role } of roles) {
    const why = roleAllows(role, req);
    if (why === null) return { allowed: true, role: name };
    reasons.push(`role ${name}: ${why}`);
  }
  return { allowed: false, reason: `not allowed to ${req.mode} ${req.intent} on ${req.stack} (${reasons.join('; ')})` };
}
