import type { ReloadResult } from '../model.js';
import type { AppContext } from './types.js';

/**
 * Re-reads what a git pull may have changed: the stacks, the intents and the secret values in
 * the stacks' env files. A broken intent file keeps the previous catalog (a running server
 * must not lose every intent over one typo) and the reason is logged and audited.
 */
export async function reloadFromDisk(ctx: AppContext, reason: string): Promise<ReloadResult> {
  await ctx.stacks.refresh(0);
  const result = await ctx.reload();
  await ctx.audit.append({
    type: 'config.loaded',
    actor: 'system',
    data: result.ok ? { reason, intents: result.intents, changed: result.changed } : { reason, error: result.reason, kept: 'previous intents' },
  }).catch((err: unknown) => ctx.logger.error({ err: String(err) }, 'could not audit a reload'));
  if (!result.ok) ctx.logger.error({ reason: result.reason }, 'reload failed; the previous intents stay in force');
  return result;
}
