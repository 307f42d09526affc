import { z } from 'zod';
import type { Action } from '../model.js';
import { PrGate } from '../config/approval-schema.js';
import { NAME_PATTERN } from './names.js';

/**
 * Intent schema, version `oresi.dev/v1`. Intents describe *what* may be done; the planner
 * alone decides the argv. Caller-supplied values only fill declared, typed parameters.
 */
export const INTENT_API_VERSION = 'oresi.dev/v1';

export const Name = z.string().regex(NAME_PATTERN, {
  message: 'must match ^[a-z0-9][a-z0-9_.-]{0,62}$ (lowercase letters, digits, _ . -)',
});

/** A reference to a declared parameter: `{ param: replicas }`. */
export const ParamRef = z.strictObject({ param: Name });
export type ParamRef = z.infer<typeof ParamRef>;

const NameOrRef = z.union([Name, ParamRef]);
const IntOrRef = z.union([z.number().int(), ParamRef]);

export const LOGS_TAIL_MAX = 5000;
export const ROLLOUT_HEALTH_TIMEOUT_DEFAULT = 120;
export const ROLLOUT_HEALTH_TIMEOUT_MAX = 1800;
/** Same as the rollout library's POINT_ID_PATTERN (a test keeps them equal): ids name files and image tags. */
export const ROLLOUT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

export const Param = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('integer'),
    min: z.number().int(),
    max: z.number().int(),
    default: z.number().int().optional(),
    description: z.string().max(500).optional(),
  }),
  z.strictObject({
    type: z.literal('service'),
    default: Name.optional(),
    description: z.string().max(500).optional(),
  }),
  z.strictObject({
    type: z.literal('stack'),
    default: Name.optional(),
    description: z.string().max(500).optional(),
  }),
  z.strictObject({
    type: z.literal('enum'),
    values: z.array(Name).min(1),
    default: Name.optional(),
    description: z.string().max(500).optional(),
  }),
]);
export type Param = z.infer<typeof Param>;

export const Step = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('status') }),
  z.strictObject({ action: z.literal('logs'), service: NameOrRef.optional(), tail: IntOrRef.optional() }),
  z.strictObject({ action: z.literal('restart'), service: NameOrRef.optional() }),
  z.strictObject({ action: z.literal('scale'), service: NameOrRef, replicas: IntOrRef }),
  z.strictObject({ action: z.literal('pull'), service: NameOrRef.optional() }),
  z.strictObject({ action: z.literal('up'), service: NameOrRef.optional() }),
  z.strictObject({
    action: z.literal('rollout'),
    service: NameOrRef.optional(),
    /** Pull before `up` (default true); false rolls out what is already local. */
    pull: z.boolean().optional(),
    /** How long the services get to become healthy before the automatic rollback (default 120). */
    healthTimeoutSeconds: z.number().int().min(1).max(ROLLOUT_HEALTH_TIMEOUT_MAX).optional(),
  }),
  z.strictObject({ action: z.literal('down') }),
  z.strictObject({
    action: z.literal('rollback'),
    /** A rollout id of the stack; omitted: the newest rollback point. A literal: no param type names rollout ids. */
    to: z.string().regex(ROLLOUT_ID_PATTERN, { message: 'must be a rollout id (^[a-z0-9][a-z0-9-]{0,63}$)' }).optional(),
  }),
]);
export type Step = z.infer<typeof Step>;
// Every action the schema accepts is in the shared list, and the other way round.
type StepAction = Step['action'];
const _sameActions: [StepAction, Action] extends [Action, StepAction] ? true : never = true;
void _sameActions;

/** Cron-style windows (minute hour day-of-month month day-of-week, UTC unless `tz`). */
export const ChangeWindows = z.strictObject({
  /** Runs are allowed only in a minute matching one of these. */
  allow: z.array(z.string().min(9).max(100)).optional(),
  /** Runs are refused in a minute matching one of these (wins over allow). */
  deny: z.array(z.string().min(9).max(100)).optional(),
});
export type ChangeWindows = z.infer<typeof ChangeWindows>;

/** Approval requirements, enforced by commands/approvals.ts with the rules in policy/. */
export const Approval = z.strictObject({
  /**
   * A PR label that must be present (the original `label_required`), verified with the
   * `approvals.defaultPr` gate of the config; `pr` below states the whole gate instead.
   */
  label: z.string().min(1).max(100).optional(),
  /** N distinct approvers other than the requester (the two-person rule). */
  quorum: z.number().int().min(0).max(10).optional(),
  /** A pull request verified live against GitHub or Gitea. */
  pr: PrGate.optional(),
  windows: ChangeWindows.optional(),
});
export type Approval = z.infer<typeof Approval>;

export const Intent = z.strictObject({
  apiVersion: z.literal(INTENT_API_VERSION),
  kind: z.literal('Intent'),
  name: Name,
  description: z.string().max(2000).optional(),
  /** The stack this intent acts on: a literal name or a `{param}` of type `stack`. */
  stack: NameOrRef,
  params: z.record(Name, Param).default({}),
  /** Run in order; the first failing step stops the sequence. */
  steps: z.array(Step).min(1).max(20),
  /** Whole-intent timeout; each step gets what is left of it. */
  timeoutSeconds: z.number().int().min(1).max(3600).default(300),
  /** Intents whose steps run (with their defaults) before this one's, in dependency order. */
  depends_on: z.array(Name).max(10).default([]),
  approval: Approval.optional(),
});
export type Intent = z.infer<typeof Intent>;
/** The input shape (defaults not yet applied), for authors and JSON Schema. */
export type IntentInput = z.input<typeof Intent>;

/** A loaded intent: the validated definition plus where it came from. */
export interface LoadedIntent {
  intent: Intent;
  /** Absolute path of the source file. */
  file: string;
  /** Exact source bytes of the document (for the GitOps gate and hashing). */
  source: string;
  /** Set when the file used the original (pre-v1) format and was upgraded in memory. */
  deprecated?: string;
}

/** Caller-supplied parameter values after validation. */
export type ParamValues = Record<string, string | number>;
