import { z } from 'zod';
import { BRANCH_PATTERN } from '../intent/names.js';

/**
 * The PR gate an intent may declare under `approval.pr`, and the `approvals` config section
 * the verifiers read.
 */

/** `owner/repo` as GitHub and Gitea spell it; compared case-insensitively. */
export const REPO_PATTERN = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;
/** A login: GitHub allows [A-Za-z0-9-], Gitea adds `_` and `.`. */
const LOGIN_PATTERN = /^[A-Za-z0-9_.-]{1,100}$/;
/** `org/team-slug`. */
const TEAM_PATTERN = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;

export const RepoName = z.string().regex(REPO_PATTERN, { message: 'must be owner/repo' });

export const PrGate = z.strictObject({
  provider: z.enum(['github', 'gitea']),
  /** Defaults to approvals.<provider>.repo; a PR in any other repo is refused. */
  repo: RepoName.optional(),
  /** The label whose live state is checked. */
  label: z.string().min(1).max(100),
  /** Who may apply the label. At least one entry: a label anyone can apply proves nothing. */
  labelBy: z.strictObject({
    users: z.array(z.string().regex(LOGIN_PATTERN, { message: 'must be a login' })).default([]),
    teams: z.array(z.string().regex(TEAM_PATTERN, { message: 'must be org/team-slug' })).default([]),
  }).refine((v) => v.users.length + v.teams.length > 0, { message: 'name at least one user or team' }),
  /** Approving reviews needed from people other than the PR author. */
  minApprovals: z.number().int().min(0).max(10).default(1),
  /**
   * `merged` by default: a merged PR cannot move any more, so what was approved is exactly
   * what landed on the branch the GitOps gate reads. `open` checks an in-flight change
   * (its head can still move after the check); `any` accepts open or merged. A PR that was
   * closed without merging is refused under every setting: that change was rejected.
   */
  state: z.enum(['open', 'merged', 'any']).default('merged'),
  /** Count only approving reviews submitted on the PR's current head commit. */
  requireHeadSha: z.boolean().default(false),
  /** Whether the PR author may apply the label to their own PR (a one-person homelab). */
  allowAuthorLabel: z.boolean().default(false),
});
export type PrGate = z.infer<typeof PrGate>;
export type PrGateInput = z.input<typeof PrGate>;

/**
 * Proposed replacement for `Approval` in intent/schema.ts: the existing fields unchanged,
 * plus `pr`. When `pr` is set its `label` is the one verified; a bare `label` keeps the
 * current meaning (unverified, governed by approvals.unverifiedLabels).
 */
export const ApprovalWithPr = z.strictObject({
  label: z.string().min(1).max(100).optional(),
  quorum: z.number().int().min(0).max(10).optional(),
  pr: PrGate.optional(),
});
export type ApprovalWithPr = z.infer<typeof ApprovalWithPr>;

const httpUrl = z.url({ protocol: /^https?$/ });

export const GithubApprovalConfig = z.strictObject({
  /** REST root: https://api.github.com, or https://ghe.example/api/v3. */
  apiUrl: httpUrl.default('https://api.github.com'),
  /** Name of the environment variable holding the token (never the token itself). */
  tokenEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).default('ORESI_GITHUB_TOKEN'),
  /** Default repo for gates without `repo` and for `#123` references. */
  repo: RepoName.optional(),
});

export const GiteaApprovalConfig = z.strictObject({
  /** REST root including the version: https://git.example/api/v1. */
  apiUrl: httpUrl,
  tokenEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).default('ORESI_GITEA_TOKEN'),
  repo: RepoName.optional(),
});

/** Proposed additions to Config.approvals (next to the existing `unverifiedLabels`). */
export const PrApprovalsConfig = z.strictObject({
  github: GithubApprovalConfig.optional(),
  gitea: GiteaApprovalConfig.optional(),
  /** How long a successful verification is reused; 0 disables the cache. */
  cacheSeconds: z.number().int().min(0).max(600).default(30),
  /** Per HTTP request, including reading the body. */
  timeoutMs: z.number().int().min(100).max(60_000).default(5_000),
});
export type PrApprovalsConfig = z.infer<typeof PrApprovalsConfig>;
export type PrApprovalsConfigInput = z.input<typeof PrApprovalsConfig>;

/**
 * Proposed `gitops` config section: when set, an intent runs only if its loaded text is
 * byte-identical to the file at the tip of `branch` (approval/gitops.ts checkIntentOnBranch).
 */
export const GitopsConfig = z.strictObject({
  /** The git work tree holding the intents; defaults to intentsDir when wired. */
  repoDir: z.string().min(1).optional(),
  branch: z.string().regex(BRANCH_PATTERN, { message: 'is not an acceptable branch name' }).default('main'),
  /** Fetch origin/<branch> before each check, so a push that has not been pulled counts. */
  fetchFirst: z.boolean().default(true),
  timeoutMs: z.number().int().min(1_000).max(120_000).default(30_000),
});
export type GitopsConfig = z.infer<typeof GitopsConfig>;
