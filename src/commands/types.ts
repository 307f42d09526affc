import type { AuditStore, RunRow } from '../audit/types.js';
import type { Config, RoleConfig } from '../config/schema.js';
import type { IntentCatalog } from '../intent/catalog-types.js';
import type { Action } from '../intent/schema.js';
import type { ComposeDialect, Plan, StackFacts } from '../plan/types.js';
import type { StackLocks } from '../exec/types.js';
import type { EngineClient } from '../docker/engine-types.js';
import type { Sys } from '../sys/sys.js';
import type { PlanCache } from './plan-cache.js';
import type { KeyedMutex } from './mutex.js';
import type { SecurityMonitor } from './security.js';
import type { ReloadResult } from './reload.js';
import type { PrVerifier } from '../approval/verifier.js';
import type { Notifier } from '../notify/dispatcher.js';

/** Who is asking. Edges authenticate and build this; commands authorise with it. */
export interface Principal {
  name: string;
  roleNames: string[];
  roles: RoleConfig[];
  /** How the identity was established. */
  via: 'api-key' | 'env-key' | 'cli' | 'discord' | 'slack' | 'webhook' | 'schedule';
  /** The key's label (never the key). */
  keyId?: string;
  /** The zero-config ORESI_API_KEY / CHATOPS_API_KEY admin and the local CLI operator. */
  admin?: boolean;
}

export interface Caller {
  principal: Principal;
  /** Client IP as decided by the edge (socket peer, or XFF from a trusted proxy). */
  ip?: string;
  source: 'http' | 'cli' | 'chat' | 'webhook' | 'schedule';
  requestId?: string;
}

export interface Redactor {
  redact(text: string): string;
  redactValue<T>(value: T): T;
}

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Hooks the HTTP edge uses to export Prometheus metrics; all optional. */
export interface RunObserver {
  runFinished?(run: RunView): void;
  runRejected?(intent: string, code: string): void;
  /** A run now waits for approvals (chat and alerts announce it). */
  runPending?(run: RunView): void;
  /** A run's records are committed and its first step is about to spawn. */
  runStarted?(run: RunView): void;
}

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

export interface StepView {
  index: number;
  intent: string;
  stack: string;
  action: Action;
  argv: string[];
  description: string;
  outcome: 'pending' | 'running' | 'succeeded' | 'failed' | 'timed_out' | 'cancelled' | 'skipped';
  exitCode: number | null;
  durationMs: number | null;
  /** Redacted, capped. */
  stdout: string;
  stderr: string;
  truncated: boolean;
}

/** A run as every edge shows it (redacted): the stored row with typed steps and without the plan. */
export type RunView = Omit<RunRow, 'plan' | 'steps'> & { steps: StepView[] };

export interface IntentSummary {
  name: string;
  description: string | null;
  stack: string;
  actions: Action[];
  dependsOn: string[];
  approval: { label?: string; quorum?: number } | null;
  /** Set when the file uses the original format. */
  deprecated: string | null;
}

export interface IntentDetail extends IntentSummary {
  file: string;
  /** JSON Schema of the caller-supplied parameters. */
  paramsSchema: Record<string, unknown>;
  timeoutSeconds: number;
}

export interface RunRequest {
  intent: string;
  params?: unknown;
  reason?: string;
  /** The pull request that approves this change (`owner/repo#123` or a URL), for PR gates. */
  pr?: string;
  /** Run outside the change window; needs an approval from someone else and is loudly audited. */
  breakGlass?: boolean;
  /** Wait for the run to finish, at most this long (ms); 0/undefined = answer at once. */
  waitMs?: number;
}

export type { Plan, RunRow };
