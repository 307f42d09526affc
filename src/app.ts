import { join } from 'node:path';
import { createSqliteAuditStore } from './audit/sqlite-store.js';
import { createUnavailableAuditStore } from './audit/unavailable-store.js';
import type { AuditStore } from './audit/types.js';
import { createActiveRuns } from './commands/active-runs.js';
import { toRunView } from './commands/run-view.js';
import { createPlanCache } from './commands/plan-cache.js';
import { createKeyedMutex } from './commands/mutex.js';
import { createSecurityMonitor } from './commands/security.js';
import { createSwappableRedactor } from './commands/swappable-redactor.js';
import { openProblemStore } from './notify/problem-store.js';
import { createPrVerifier } from './approval/verifier.js';
import type { AppContext } from './commands/types.js';
import type { Logger } from './model.js';
import { loadIntentCatalog } from './config/load-intents.js';
import type { Config } from './config/schema.js';
import { detectComposeDialect } from './docker/dialect.js';
import { createEngineClient } from './docker/engine.js';
import { createStackDirectory } from './docker/stack-directory.js';
import { buildChildEnv } from './exec/child-env.js';
import { createFileStackLocks, liveLockHolders } from './exec/file-locks.js';
import { createStackLocks } from './exec/locks.js';
import { buildRedactor } from './commands/redact.js';
import { loadPolicyFile } from './config/load-policy.js';
import { metricsSecrets } from './config/metrics-schema.js';
import { buildNotifier, notifyRun, notifySecrets } from './notify/build-notifier.js';
import { scheduleSecrets } from './config/schedule-schema.js';
import { webhookSecrets } from './config/webhook-schema.js';
import type { Sys } from './sys/sys.js';
import { endOrphans, findStartupOrphans, recordOrphans } from './startup-orphans.js';

/** `read`: list, plan, validate (no audit store is opened). `full`: everything, including runs. */
export type AppMode = 'read' | 'full';

export interface CreateAppOptions {
  config: Config;
  sys: Sys;
  logger: Logger;
  mode: AppMode;
  /** For tests: an audit store to use instead of <dataDir>/audit.db. */
  audit?: AuditStore;
}

const engineClients = new WeakMap<AppContext, { close(): Promise<void> }>();
const orphanRecoveries = new WeakMap<AppContext, { stop: AbortController; done: Promise<void> }>();

/** Every log line passes the redactor (invariant 6). */
function redactingLogger(logger: Logger, redact: <T>(v: T) => T): Logger {
  return {
    info: (obj, msg) => logger.info(redact(obj), msg && redact(msg)),
    warn: (obj, msg) => logger.warn(redact(obj), msg && redact(msg)),
    error: (obj, msg) => logger.error(redact(obj), msg && redact(msg)),
  };
}

/** Builds the object graph from a validated Config, with plain function arguments. */
export async function createApp(opts: CreateAppOptions): Promise<AppContext> {
  const { config, sys } = opts;
  const catalog = await loadIntentCatalog({ dir: config.intentsDir, stacksRoot: config.stacksRoot });
  const policy = config.policyFile ? await loadPolicyFile(config.policyFile, '/') : undefined;
  // oresi's own keys are secrets too: a compose error echoing the environment must not leak them.
  const ownKeys = [
    sys.env.ORESI_API_KEY, sys.env.CHATOPS_API_KEY,
    ...notifySecrets(config.notify, sys.env), ...webhookSecrets(config.webhooks, sys.env),
    ...scheduleSecrets(config.schedules, sys.env), ...metricsSecrets(config.metrics, sys.env),
  ].filter((k): k is string => Boolean(k));
  const loadRedactor = () => buildRedactor({ stacksRoot: config.stacksRoot, fs: sys.fs, secrets: ownKeys, ...(policy ? { policy: policy.redaction } : {}) });
  const redactor = createSwappableRedactor(await loadRedactor());
  const logger = redactingLogger(opts.logger, (v) => redactor.redactValue(v));
  const dockerHost = sys.env.DOCKER_HOST || config.docker.host;
  const engine = createEngineClient({ host: dockerHost });
  // compose must talk to the same engine oresi reads state from.
  const childEnv = buildChildEnv({ ...sys.env, DOCKER_HOST: dockerHost }, config.compose.passEnv);
  const dialect = await detectComposeDialect(sys, childEnv, config.compose.dialect);
  const stacks = createStackDirectory({ root: config.stacksRoot, fs: sys.fs, ...(config.stacks ? { allowlist: config.stacks } : {}) });
  await stacks.refresh(0);
  const audit = opts.audit ?? (opts.mode === 'full'
    ? createSqliteAuditStore({ path: join(config.dataDir, 'audit.db'), now: sys.now })
    : createUnavailableAuditStore('this command does not open the audit store'));
  const alerts = opts.mode === 'full'
    ? buildNotifier(config.notify, { fetch: sys.fetch, now: sys.now, env: sys.env, redactor, audit, logger, problems: openProblemStore(join(config.dataDir, 'alerts.db'), logger) })
    : buildNotifier({ ...config.notify, sinks: {}, routes: [] }, { fetch: sys.fetch, now: sys.now, env: sys.env, redactor, audit, logger });
  const ctx: AppContext = {
    config, catalog, sys, audit, dialect, stacks, redactor, logger,
    engine,
    // Files, so a CLI run and the server never run on one stack at once.
    locks: opts.mode === 'full' ? createFileStackLocks(join(config.dataDir, 'locks')) : createStackLocks(),
    alerts,
    // Alerts hear about every run; the HTTP edge chains its metrics after this.
    observer: {
      runFinished: (run) => notifyRun(alerts, run),
      runPending: (run) => notifyRun(alerts, run),
      runStarted: (run) => notifyRun(alerts, run),
    },
    active: createActiveRuns(),
    plans: createPlanCache(),
    runMutex: createKeyedMutex(),
    prVerifier: createPrVerifier({ fetch: sys.fetch, now: sys.now, config: config.approvals, env: sys.env }),
    childEnv,
    // Replaced just below, once the context it reports through exists.
    security: { authFailure: async () => undefined },
    async reload() {
      try {
        const next = await loadIntentCatalog({ dir: config.intentsDir, stacksRoot: config.stacksRoot });
        redactor.swap(await loadRedactor());
        const before = ctx.catalog.list().map((i) => i.source).join('\u0000');
        ctx.catalog = next;
        ctx.plans = createPlanCache();
        return { ok: true, intents: next.list().length, changed: before !== next.list().map((i) => i.source).join('\u0000') };
      } catch (err) {
        return { ok: false, reason: redactor.redact(err instanceof Error ? err.message : String(err)) };
      }
    },
  };
  ctx.security = createSecurityMonitor(ctx);
  engineClients.set(ctx, engine);
  if (opts.mode === 'full') await startUp(ctx);
  return ctx;
}

/** Recovery and the start-up record: runs a crash left running are marked interrupted. */
async function startUp(ctx: AppContext): Promise<void> {
  const orphans = findStartupOrphans(ctx);
  // A run whose stack lock is held by a live process (the server, another CLI) is still running.
  const interrupted = await ctx.audit.markInterrupted(liveLockHolders(join(ctx.config.dataDir, 'locks')));
  await recordOrphans(ctx, orphans);
  if (orphans.length > 0) {
    const stop = new AbortController();
    orphanRecoveries.set(ctx, { stop, done: endOrphans(ctx, orphans, stop.signal) });
  }
  if (interrupted.length > 0) ctx.logger.warn({ runs: interrupted }, 'runs left running by an earlier process were marked interrupted');
  for (const id of interrupted) {
    const row = ctx.audit.getRun(id);
    // Someone should look at a stack whose change stopped half-way.
    if (row) notifyRun(ctx.alerts, toRunView(row));
  }
  if (ctx.config.approvals.unverifiedLabels === 'allow') {
    ctx.logger.warn({ setting: 'approvals.unverifiedLabels' }, 'PR label requirements are NOT verified (approvals.unverifiedLabels: allow)');
  }
  await ctx.audit.append({
    type: 'config.loaded',
    actor: 'system',
    data: {
      intents: ctx.catalog.list().map((i) => i.intent.name),
      stacks: ctx.stacks.list().map((s) => s.name),
      compose: ctx.dialect,
      interrupted,
      orphans: orphans.map((o) => o.runId),
    },
  });
}

export async function closeApp(ctx: AppContext): Promise<void> {
  await ctx.active.drain(0);
  const recovery = orphanRecoveries.get(ctx);
  recovery?.stop.abort();
  await recovery?.done;
  // Give queued alerts a moment; the notifier never blocks a run, but a clean stop should deliver.
  await ctx.alerts.flush(5_000);
  ctx.alerts.close();
  ctx.audit.close();
  await engineClients.get(ctx)?.close();
}
