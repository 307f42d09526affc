import type { AppContext } from './types.js';

export interface Readiness {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

/** Ready means: config and intents loaded (true once ctx exists), audit writable, engine answering. */
export async function checkReadiness(ctx: AppContext): Promise<Readiness> {
  const checks: Readiness['checks'] = {
    config: { ok: true },
    intents: { ok: true, detail: `${ctx.catalog.list().length} loaded` },
  };
  try {
    await ctx.audit.ping();
    checks.audit = { ok: true };
  } catch (err) {
    checks.audit = { ok: false, detail: ctx.redactor.redact(err instanceof Error ? err.message : String(err)) };
  }
  const engine = await ctx.engine.ping().catch(() => false);
  checks.engine = engine ? { ok: true } : { ok: false, detail: 'the Docker engine does not answer' };
  checks.compose = ctx.dialect ? { ok: true, detail: ctx.dialect } : { ok: false, detail: 'no docker compose (v2) or docker-compose (v1) found' };
  return { ready: Object.values(checks).every((c) => c.ok), checks };
}
