import { isKeptValue, parseEnvEntries } from '../policy/env-file-parse.js';
import type { Redactor } from '../policy/redact.js';
import { createPolicyRedactor } from '../policy/redact-policy.js';
import { redactTextThorough } from '../policy/redact-thorough.js';
import { readChangedComposes, readFileAt, readRepoChange, type GitRepo, type RepoChange } from '../review/git-diff.js';
import { loadReviewPolicy } from '../review/load-review-policy.js';
import { askReviewerModel, type ModelEndpoint } from '../review/model-review.js';
import { mergeModelAnswer, withModelIgnored } from '../review/model-schema.js';
import type { ReviewPolicyFile } from '../review/review-policy-schema.js';
import { scoreReview } from '../review/score-review.js';
import { findSecretHits } from '../review/secret-scan.js';
import { isEnvFilePath } from '../review/service-changes.js';
import type { ReviewInput, ReviewReport } from '../review/types.js';
import type { Sys } from '../sys/sys.js';

/**
 * `oresi review`: a PR's diff, scored against the rubric. Git reading, policy loading and the
 * optional model are effects here; the scoring itself is review/score-review.ts (pure).
 */
export interface ReviewOptions {
  sys: Sys;
  /** Repository working directory. */
  repo: string;
  base: string;
  /** Defaults to HEAD. */
  head?: string | undefined;
  /** The PR description (null or undefined: none given). */
  prBody?: string | null | undefined;
  /** A policy file on disk instead of policy.yaml at the base commit. */
  policyFile?: string | undefined;
  model?: ModelEndpoint | undefined;
}

export interface ReviewOutcome {
  report: ReviewReport;
  base: string;
  head: string;
  policySource: string;
  /** The redactor built for this change (its known secrets include committed env values). */
  redactor: Redactor;
}

/** The parts of a change both `review` and `check` read. */
export interface PreparedChange {
  repo: GitRepo;
  change: RepoChange;
  policy: ReviewPolicyFile;
  policySource: string;
  input: ReviewInput;
  redactor: Redactor;
}

export async function prepareChange(opts: ReviewOptions): Promise<PreparedChange> {
  const repo: GitRepo = { sys: opts.sys, dir: opts.repo };
  const change = await readRepoChange(repo, opts.base, opts.head ?? 'HEAD');
  const { policy, source } = await loadReviewPolicy(repo, { file: opts.policyFile, baseCommit: change.base });
  const envSecrets = await committedEnvSecrets(repo, change, policy);
  const redactor = createPolicyRedactor(policy.redaction, envSecrets);
  const input: ReviewInput = {
    files: change.files,
    headPaths: change.headPaths,
    composes: await readChangedComposes(repo, change, policy.review.stacksDir),
    prBody: opts.prBody ?? null,
    secretHits: await findSecretHits(change.files, redactor, envSecrets),
  };
  return { repo, change, policy, policySource: source, input, redactor };
}

export async function reviewChange(opts: ReviewOptions): Promise<ReviewOutcome> {
  const prepared = await prepareChange(opts);
  const { change, policy, input, redactor } = prepared;
  let report = scoreReview(input, policy);
  if (opts.model) {
    const outcome = await askReviewerModel(opts.sys, opts.model, {
      patch: change.patch,
      prBody: input.prBody,
      report,
      policy,
      redact: (text) => redactTextThorough(text, redactor),
    });
    report = outcome.ok ? mergeModelAnswer(report, outcome.answer, policy) : withModelIgnored(report, outcome.reason);
  }
  // Redaction at the boundary: messages quote paths and images, and a model may quote anything.
  return { report: redactor.redactValue(report), base: change.base, head: change.head, policySource: prepared.policySource, redactor };
}

/**
 * Values in env files the change commits: known secrets for the redactor, so nothing they hold
 * reaches the model or the output even where no pattern would recognise them.
 */
async function committedEnvSecrets(repo: GitRepo, change: RepoChange, policy: ReviewPolicyFile): Promise<string[]> {
  const secrets: string[] = [];
  for (const f of change.files) {
    if (f.status === 'deleted' || !isEnvFilePath(f.path, policy.guardrails)) continue;
    const text = await readFileAt(repo, change.head, f.path);
    if (text === null) continue;
    for (const { key, value } of parseEnvEntries(text)) {
      if (!isKeptValue(key, value, policy.redaction) && value.length >= policy.redaction.minSecretLength) secrets.push(value);
    }
  }
  return secrets;
}
