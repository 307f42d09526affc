import type { EngineClient } from '../docker/engine-types.js';
import type { ArgvResult } from '../exec/types.js';
import type { ComposeDialect, StackFacts } from '../plan/types.js';
import type { Sys } from '../sys/sys.js';
import type { RollbackPoint } from './rollback-point.js';

/**
 * Every process a rollout starts passes through these. `beforeSpawn` is where the caller writes
 * the audit record; when it rejects, nothing more is spawned and the operation rejects with that
 * same error (fail closed: no rollback either, since it could not be logged).
 */
export interface SpawnHooks {
  beforeSpawn(argv: string[], description: string): Promise<void>;
  afterSpawn(argv: string[], result: ArgvResult): Promise<void>;
}

export interface RollbackStore {
  /** Atomically writes the point; returns its path. */
  save(point: RollbackPoint): Promise<string>;
  /** null when no such point exists for the stack. */
  load(stack: string, id: string): Promise<RollbackPoint | null>;
  /** Newest first (by createdAt, then id). Unreadable files are listed in `problems`, not thrown. */
  list(stack: string): Promise<{ points: RollbackPoint[]; problems: Array<{ file: string; reason: string }> }>;
  /** Atomically writes the compose override for a point; returns its absolute path. */
  writeOverride(stack: string, id: string, yaml: string): Promise<string>;
}

export interface HealthOptions {
  healthTimeoutMs: number;
  pollMs: number;
  /** How long the healthy state must hold before it counts (0: the first healthy poll). */
  stableMs?: number;
}

export interface CommandLimits {
  /** Per compose/docker command (pull can be slow). */
  commandTimeoutMs?: number;
  killGraceMs?: number;
  maxOutputBytes?: number;
}

export interface RolloutContext {
  sys: Sys;
  engine: Pick<EngineClient, 'listComposeContainers' | 'inspectImage'>;
  facts: StackFacts;
  dialect: ComposeDialect;
  /** The complete child environment (buildChildEnv). */
  env: Record<string, string>;
  store: RollbackStore;
  hooks: SpawnHooks;
  signal?: AbortSignal;
}

export interface RolloutOptions extends HealthOptions, CommandLimits {
  pull: boolean;
  /** Limit to these services (must be declared); default: the whole stack. */
  services?: string[];
  dryRun?: boolean;
  /** Defaults to sys.newId(); must match POINT_ID_PATTERN (it names files and image tags). */
  rolloutId?: string;
}

export type RolloutOutcome = 'succeeded' | 'failed' | 'rolled_back' | 'rollback_failed' | 'cancelled';

export type StepPhase = 'protect' | 'pull' | 'up' | 'rollback-up';

export interface RolloutStep {
  phase: StepPhase;
  description: string;
  argv: string[];
  /** Absent in a dry run. */
  result?: ArgvResult;
}

export interface ServiceHealth {
  service: string;
  /** ok: running (and healthy where checked); pending: not yet; failed: exited, restarting, unhealthy, gone. */
  status: 'ok' | 'pending' | 'failed';
  detail: string;
  imageIds: string[];
}

export interface HealthReport {
  healthy: boolean;
  /** True when the wait ended on the deadline rather than on a verdict. */
  timedOut: boolean;
  cancelled: boolean;
  services: ServiceHealth[];
  waitedMs: number;
}

export interface RestoreReport {
  pointId: string;
  overrideFile: string;
  /** service → the `image:` the override pinned. */
  pins: Record<string, string>;
  health: HealthReport | null;
  /** Services whose running image ids differ from the point's after the rollback. */
  mismatches: Array<{ service: string; expected: string; running: string[] }>;
  verified: boolean;
}

export interface RolloutResult {
  dryRun: false;
  rolloutId: string;
  stack: string;
  outcome: RolloutOutcome;
  /** One sentence for people; absent on success. */
  reason?: string;
  /** True once `up` ran: the stack may differ from the rollback point. */
  changed: boolean;
  point: RollbackPoint | null;
  steps: RolloutStep[];
  health: HealthReport | null;
  rollback: RestoreReport | null;
  durationMs: number;
}

export interface ServiceChange {
  service: string;
  imageRef: string | null;
  /** What runs now; null when the service has no container. */
  currentImageId: string | null;
  /** What the ref resolves to in the local image store now; null when absent locally. */
  localImageId: string | null;
  /** True when `up` would move the service to another image with what is local now. */
  wouldChange: boolean;
  /** A pull would run first and may move the ref further (not checked: no registry calls in a dry run). */
  wouldPull: boolean;
}

export interface DryRunResult {
  dryRun: true;
  rolloutId: string;
  stack: string;
  steps: RolloutStep[];
  changes: ServiceChange[];
}
