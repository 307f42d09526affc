import type { Plan, PlanStep } from '../plan/types.js';
import type { ChildRef } from './process-group.js';

/** The outcome of one argv process. A non-zero exit is data, not an exception. */
export interface ArgvResult {
  argv: string[];
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** True when the stream passed the cap; the text then ends with a truncation marker. */
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  timedOut: boolean;
  cancelled: boolean;
  /** Set when the program could not be started at all (ENOENT, EACCES). */
  spawnError?: string;
  startedAt: number;
  durationMs: number;
}

export interface RunArgvOptions {
  cwd: string;
  /** The complete environment of the child; nothing is inherited implicitly. */
  env: Record<string, string>;
  timeoutMs: number;
  /** Between SIGTERM and SIGKILL to the process group. */
  killGraceMs: number;
  /** Per stream. */
  maxOutputBytes: number;
  signal?: AbortSignal;
  onOutput?: (stream: 'stdout' | 'stderr', chunk: string) => void;
}

export type LockResult =
  | { acquired: true; release: () => void }
  | { acquired: false; holder: string };

export interface StackLocks {
  /** Non-blocking: a held lock is an answer ("busy"), not a wait. */
  tryAcquire(stack: string, holder: string): LockResult;
  holder(stack: string): string | undefined;
  /**
   * Records a process the holder's run spawned in each lock it holds, so the lock stays held
   * while that process group lives, even past the death of this process. Returns the undo, for
   * when the group has ended. Throws when the record cannot be written.
   */
  track?(holder: string, child: ChildRef): () => void;
}

export type StepOutcome = 'succeeded' | 'failed' | 'timed_out' | 'cancelled' | 'skipped';

export interface StepRecord {
  step: PlanStep;
  outcome: StepOutcome;
  result?: ArgvResult;
  /**
   * What a composite step (rollout, rollback) found and did, as data (rollout id, rollback
   * point summary, health); not yet redacted. Absent for argv steps.
   */
  detail?: Record<string, unknown>;
}

export type PlanOutcome = 'succeeded' | 'failed' | 'timed_out' | 'cancelled';

export interface PlanResult {
  outcome: PlanOutcome;
  steps: StepRecord[];
  durationMs: number;
}

/**
 * Called around each step. `beforeStep` must resolve before the step spawns: the audit
 * `started`/`step started` record is written there, and a rejection stops the plan with
 * nothing spawned (fail closed).
 */
export interface ExecuteHooks {
  beforeStep?: (step: PlanStep) => Promise<void>;
  afterStep?: (record: StepRecord) => Promise<void>;
  onOutput?: (step: PlanStep, stream: 'stdout' | 'stderr', chunk: string) => void;
}

/**
 * Runs a step whose `kind` is not argv. It gets what is left of the whole-plan deadline and must
 * end by then; a rejection propagates like a rejecting `beforeStep` (fail closed).
 */
export type CompositeRunner = (step: PlanStep, signal: AbortSignal | undefined, remainingMs: number) => Promise<StepRecord>;

export interface ExecutePlanOptions {
  plan: Plan;
  env: Record<string, string>;
  maxOutputBytes: number;
  killGraceMs: number;
  signal?: AbortSignal;
  hooks?: ExecuteHooks;
  /** For steps of kind rollout/rollback; without it such a step fails without spawning anything. */
  composite?: CompositeRunner;
}
