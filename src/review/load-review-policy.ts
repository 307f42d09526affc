import { resolve } from 'node:path';
import { AppError } from '../errors.js';
import { formatDiagnostic, parseYamlWith } from '../intent/yaml-source.js';
import { readFileAt, type GitRepo } from './git-diff.js';
import { ReviewPolicyFile, defaultReviewPolicy } from './review-policy-schema.js';

export const POLICY_FILE = 'policy.yaml';

export interface LoadedReviewPolicy {
  policy: ReviewPolicyFile;
  /** Where it came from, for the report: a path, `policy.yaml@<commit>` or `defaults`. */
  source: string;
}

/** Text → policy, or E_CONFIG_INVALID listing every `file:line:col path: reason`. */
export function parseReviewPolicy(text: string, file: string): ReviewPolicyFile {
  const parsed = parseYamlWith(ReviewPolicyFile, text, file);
  if (parsed.ok) return parsed.value.value;
  throw new AppError('E_CONFIG_INVALID', `invalid policy:\n${parsed.errors.map((d) => `  ${formatDiagnostic(d)}`).join('\n')}`, { diagnostics: parsed.errors });
}

/**
 * The policy a change is judged by. Without --policy it is policy.yaml as it stands on the
 * BASE commit: a PR must not be able to relax the rules it is checked against.
 */
export async function loadReviewPolicy(repo: GitRepo, opts: { file?: string | undefined; baseCommit: string }): Promise<LoadedReviewPolicy> {
  if (opts.file !== undefined) {
    const path = resolve(repo.dir, opts.file);
    let text: string;
    try {
      text = await repo.sys.fs.readFile(path, 'utf8');
    } catch (err) {
      throw new AppError('E_CONFIG_INVALID', `cannot read policy file ${path}: ${(err as Error).message}`);
    }
    return { policy: parseReviewPolicy(text, path), source: path };
  }
  const text = await readFileAt(repo, opts.baseCommit, POLICY_FILE);
  if (text === null) return { policy: defaultReviewPolicy(), source: 'defaults' };
  const source = `${POLICY_FILE}@${opts.baseCommit.slice(0, 12)}`;
  return { policy: parseReviewPolicy(text, source), source };
}
