/**
 * The shared vocabulary of oresi: the types two or more folders speak. It imports nothing of
 * ours, so any module may import it without making a cycle; a type that several folders need
 * belongs here, never in one of them.
 */

/** What a plan step does to a stack. The intent schema checks each step against this list. */
export const ACTIONS = ['status', 'logs', 'restart', 'scale', 'pull', 'up', 'rollout', 'down', 'rollback'] as const;
export type Action = (typeof ACTIONS)[number];

/** What a role grants (the validated `roles.<name>` of oresi.yaml). */
export interface RoleGrant {
  intents: string[];
  stacks: string[];
  actions: Array<Action | '*'>;
  readOnly: boolean;
  approve: boolean;
  quorum?: number | undefined;
  audit: boolean;
}

/** Who is asking. Edges authenticate and build this; commands authorise with it. */
export interface Principal {
  name: string;
  roleNames: string[];
  roles: RoleGrant[];
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

/** Expected outcomes are data: one shape, one name for the failure field. */
export type Result<T, E = string> = { ok: true; value: T } | { ok: false; error: E };

export interface Redactor {
  redact(text: string): string;
  redactValue<T>(value: T): T;
}

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export type RunState =
  | 'requested' | 'pending_approval' | 'approved' | 'running' | 'succeeded' | 'failed'
  | 'rolled_back' | 'timed_out' | 'cancelled' | 'interrupted' | 'rejected' | 'denied' | 'expired';

export interface RunRow {
  id: string;
  intent: string;
  stack: string;
  state: RunState;
  requestedBy: string;
  source: string;
  reason: string | null;
  params: Record<string, unknown>;
  planHash: string;
  /** The plan and per-step results (redacted), as JSON. */
  plan: unknown;
  steps: unknown[];
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
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

/** Hooks the HTTP edge uses to export Prometheus metrics; all optional. */
export interface RunObserver {
  runFinished?(run: RunView): void;
  runRejected?(intent: string, code: string): void;
  /** A run now waits for approvals (chat and alerts announce it). */
  runPending?(run: RunView): void;
  /** A run's records are committed and its first step is about to spawn. */
  runStarted?(run: RunView): void;
}

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

export type ReloadResult = { ok: true; intents: number; changed: boolean } | { ok: false; reason: string };

export interface AuthFailure {
  ip: string;
  /** api-key, discord, slack, github, gitea */
  via: string;
  reason: string;
  requestId?: string;
  data?: Record<string, unknown>;
}

export interface SecurityMonitor {
  /** Logs, audits (at most once per address and kind per 10 s) and alerts on bursts. Never throws. */
  authFailure(f: AuthFailure): Promise<void>;
}
