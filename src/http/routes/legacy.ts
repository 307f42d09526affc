import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { planRun } from '../../commands/plan.js';
import { isTerminal, requestRun } from '../../commands/runs.js';
import type { RunView } from '../../model.js';
import { LegacyRunBody } from '../schemas.js';
import { callerOf, type RouteDeps } from './deps.js';

/** Flat fields the original callers read (`returncode`, `stdout`, `stderr`), from the run's steps. */
function legacyFields(run: RunView) {
  const ran = run.steps.filter((s) => s.exitCode !== null || s.outcome !== 'pending');
  const last = ran.at(-1);
  return {
    returncode: last?.exitCode ?? null,
    stdout: ran.map((s) => s.stdout).filter(Boolean).join('\n'),
    stderr: ran.map((s) => s.stderr).filter(Boolean).join('\n'),
  };
}

/**
 * `POST /run {"name", "dry_run"}` from the original service, kept so existing scripts and bots
 * work, but through the same commands (auth, RBAC, approvals, audit) as /v1. A dry run answers
 * with the real plan; a run waits up to server.waitTimeoutSeconds for the outcome.
 */
export function registerLegacyRoutes(app: FastifyInstance, { ctx }: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post('/run', {
    schema: { summary: 'Original API: run or dry-run an intent by name (deprecated; use /v1/runs)', tags: ['legacy'], deprecated: true, body: LegacyRunBody },
  }, async (request, reply) => {
    const caller = callerOf(request);
    reply.header('deprecation', 'true');
    reply.header('link', '</v1/runs>; rel="successor-version"');
    const { name, dry_run: dryRun } = request.body;
    if (dryRun) return { status: 'ok', dry_run: true, plan: await planRun(ctx, caller, { intent: name, params: {} }) };
    const run = await requestRun(ctx, caller, { intent: name, params: {}, waitMs: ctx.config.server.waitTimeoutSeconds * 1000 });
    if (!isTerminal(run.state)) {
      reply.code(202);
      return { status: 'accepted', intent: name, run };
    }
    return { status: run.state === 'succeeded' ? 'ok' : 'error', intent: name, dry_run: false, ...legacyFields(run), run };
  });
}
