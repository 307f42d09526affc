import type { Logger, Redactor, ReloadResult, RunObserver, RunView, SecurityMonitor } from '../model.js';
import type { AuditStore } from '../audit/types.js';
import type { Config } from '../config/schema.js';
import type { IntentCatalog } from '../intent/catalog-types.js';
import type { ComposeDialect, Plan, StackFacts } from '../plan/types.js';
import type { StackLocks } from '../exec/types.js';
import type { EngineClient } from '../docker/engine-types.js';
import type { Sys } from '../sys/sys.js';
import type { PlanCache } from './plan-cache.js';
import type { KeyedMutex } from './mutex.js';
import type { PrVerifier } from '../approval/verifier.js';
import type { Notifier } from '../notify/dispatcher.js';

/** Everything a command needs; built once by app.ts from a validated Config. */
export interface AppContext {
  config: Config;
  catalog: IntentCatalog;
  sys: Sys;
  audit: AuditStore;
  locks: StackLocks;
  /** Resolved compose dialect, or null when no compose CLI was found (plans still work, as v2). */
  dialect: ComposeDialect | null;
  stacks: StackDirectory;
  engine: EngineClient;
  redactor: Redactor;
  logger: Logger;
  observer: RunObserver;
  /** Alerts (Discord, Slack, Kuma, Healthchecks, ntfy, webhooks); never blocks, never throws. */
  alerts: Notifier;
  /** Refused credentials from every edge: audited (throttled) and alerted on bursts. */
  security: SecurityMonitor;
  /** Verifies PR gates against GitHub/Gitea (fails closed, never throws). */
  prVerifier: PrVerifier;
  /** Serialises approve/deny/cancel per run id. */
  runMutex: KeyedMutex;
  /** Plans already computed for the current stack snapshot. */
  plans: PlanCache;
  /** Runs executing in this process (for cancel and wait). */
  active: ActiveRuns;
  /** Re-reads intents and stack secrets from disk (built by app.ts); see commands/reload.ts. */
  reload(): Promise<ReloadResult>;
  /** Environment passed to compose children (see exec/child-env.ts). */
  childEnv: Record<string, string>;
}

/**
 * Stacks as last discovered on disk. The planner is pure and synchronous, so commands call
 * `refresh()` first; it re-reads the stacks root only when the snapshot is older than maxAgeMs.
 */
export interface StackDirectory {
  find(name: string): StackFacts | undefined;
  list(): StackFacts[];
  refresh(maxAgeMs?: number): Promise<void>;
  /** Changes whenever a refresh read the disk again (for caches keyed on stack facts). */
  version(): number;
  /** Stack folders that could not be used, with the reason (bad compose file, symlink escape…). */
  problems(): Array<{ name: string; reason: string }>;
}

export type { EngineClient } from '../docker/engine-types.js';

export interface ActiveRun {
  controller: AbortController;
  done: Promise<RunView>;
}

export interface ActiveRuns {
  get(id: string): ActiveRun | undefined;
  set(id: string, run: ActiveRun): void;
  delete(id: string): void;
  size(): number;
  /** Resolves when every active run has finished, or after timeoutMs. */
  drain(timeoutMs: number): Promise<void>;
}

export type { Plan };
