import type { ParamValues } from '../intent/schema.js';
import type { Action } from '../model.js';

export type ComposeDialect = 'v2' | 'v1';

/** What the planner needs to know about a stack; gathered by docker/discovery, never by plan/. */
export interface StackFacts {
  name: string;
  /** Realpath of the stack folder (inside the stacks root). */
  dir: string;
  /** Absolute path of the compose file in use. */
  composeFile: string;
  /** Env files, in the order compose should read them (global.env first, then .env). */
  envFiles: string[];
  /** Service names declared in the compose file. */
  services: string[];
  /**
   * SHA-256 over the compose file and env files as read. It goes into the plan hash, so an
   * approval given for one version of a stack does not carry over to an edited one.
   */
  contentHash?: string;
}

/**
 * A step the executor runs as one operation of several processes (the rollout library), not as
 * one argv. Its fields are in the plan hash, so an approval covers them too.
 */
export type PlanStepKind = 'argv' | 'rollout' | 'rollback';

export interface RolloutSpec {
  /** Limit to these services (declared by the stack); absent: the whole stack. */
  services?: string[];
  pull: boolean;
  healthTimeoutMs: number;
}

export interface RollbackSpec {
  /** A rollout id of the stack; absent: the newest rollback point. */
  to?: string;
  healthTimeoutMs: number;
}

export interface PlanStep {
  /** 1-based position in the plan. */
  index: number;
  /** The intent that contributed this step (differs from the plan's intent for depends_on). */
  intent: string;
  stack: string;
  action: Action;
  /**
   * argv[0] is the program; nothing here is ever interpreted by a shell. For a composite step
   * (kind rollout/rollback) this is the main command, for display; each process it really starts
   * is audited (`step.command`) before it spawns.
   */
  argv: string[];
  cwd: string;
  /** One line for people: "scale plex to 2 in stack-media". */
  description: string;
  /** Absent means 'argv'. */
  kind?: PlanStepKind;
  /** Set when kind is 'rollout'. */
  rollout?: RolloutSpec;
  /** Set when kind is 'rollback'. */
  rollback?: RollbackSpec;
}

export interface Plan {
  intent: string;
  stack: string;
  params: ParamValues;
  dialect: ComposeDialect;
  steps: PlanStep[];
  /** Whole-plan timeout in milliseconds. */
  timeoutMs: number;
  /** Stack name → StackFacts.contentHash for every stack the plan touches (when known). */
  stackContent?: Record<string, string>;
  /** SHA-256 (hex) over the canonical JSON of intent, stack, params, dialect and steps. */
  hash: string;
}
