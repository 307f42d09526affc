import { AppError } from '../errors.js';
import type { Action } from '../model.js';
import { authorize, matchGlob, type AccessMode } from '../policy/rbac.js';
import type { AppContext } from './types.js';
import type { Caller } from '../model.js';

/** Throws E_FORBIDDEN unless the caller may `mode` the intent on every stack it touches. */
export function requireAccess(
  ctx: AppContext,
  caller: Caller,
  mode: AccessMode,
  target: { intent: string; stacks: readonly string[]; actions: readonly Action[] },
): void {
  const p = caller.principal;
  const roles = p.roleNames.flatMap((name, i) => (p.roles[i] ? [{ name, role: p.roles[i] }] : []));
  for (const stack of new Set(target.stacks)) {
    const decision = authorize(roles, { mode, intent: target.intent, stack, actions: target.actions }, { admin: p.admin === true });
    if (!decision.allowed) throw new AppError('E_FORBIDDEN', `${p.name} is ${decision.reason}`);
  }
}

export function canAccess(ctx: AppContext, caller: Caller, mode: AccessMode, target: { intent: string; stacks: readonly string[]; actions: readonly Action[] }): boolean {
  try {
    requireAccess(ctx, caller, mode, target);
    return true;
  } catch {
    return false;
  }
}

/** Stack-level reads (drift, metrics): any role whose stacks cover it, whatever its intents. */
export function canReadStack(caller: Caller, stack: string): boolean {
  const p = caller.principal;
  return p.admin === true || p.roles.some((r) => r.stacks.some((g) => matchGlob(g, stack)));
}
