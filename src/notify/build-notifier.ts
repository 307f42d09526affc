import type { AuditStore } from '../audit/types.js';
import type { Logger, Redactor, RunView } from '../model.js';
import { collectSinkSecrets, createSinks } from './create-sinks.js';
import { type Notifier, createNotifier } from './dispatcher.js';
import { alertFromRun } from './events.js';
import type { NotifyConfig } from '../config/notify-schema.js';
import type { ProblemStore } from './suppression.js';

export interface BuildNotifierDeps {
  fetch: typeof fetch;
  now: () => number;
  env: Readonly<Record<string, string | undefined>>;
  redactor: Pick<Redactor, 'redact' | 'redactValue'>;
  audit: Pick<AuditStore, 'append'>;
  logger: Logger;
  sleep?: (ms: number) => Promise<void>;
  /** Shared open problems (`<dataDir>/alerts.db`); in memory when absent. */
  problems?: ProblemStore;
}

/**
 * The notifier app.ts wires from `config.notify`. Throws AppError E_CONFIG_INVALID when a sink
 * names an environment variable that is not set. Add `notifySecrets(config, env)` to the
 * redactor's known secrets so sink URLs and tokens never show up in logs either.
 */
export function buildNotifier(config: NotifyConfig, deps: BuildNotifierDeps): Notifier {
  const sinks = createSinks(config.sinks, { fetch: deps.fetch, now: deps.now, env: deps.env });
  return createNotifier({
    sinks,
    routes: config.routes,
    retry: config.retry,
    queueSize: config.queueSize,
    redactor: deps.redactor,
    audit: deps.audit,
    logger: deps.logger,
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    ...(deps.problems ? { problems: deps.problems } : {}),
  });
}

export function notifySecrets(config: NotifyConfig, env: Readonly<Record<string, string | undefined>>): string[] {
  return collectSinkSecrets(config.sinks, env);
}

/** For RunObserver hooks: alerts about a run whose state is news (started, finished, awaiting approval). */
export function notifyRun(notifier: Pick<Notifier, 'notify'>, run: RunView): void {
  const event = alertFromRun(run);
  if (event) notifier.notify(event);
}
