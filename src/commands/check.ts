import { AppError } from '../errors.js';
import { buildCatalog, type IntentFile } from '../intent/catalog.js';
import { loadConfig } from '../config/load.js';
import { checkGuardrails, type CheckResult } from '../review/check-guardrails.js';
import { parseComposeFacts } from '../review/compose-facts.js';
import { listComposePaths, readFileAt, type GitRepo } from '../review/git-diff.js';
import { prepareChange, type ReviewOptions } from './review.js';

/**
 * `oresi check`: the guardrails of policy.yaml as a gate on a change (exit 0/1). Reads the
 * head commit, not the working tree, so CI checks exactly what the PR would merge.
 */
export type CheckOptions = Omit<ReviewOptions, 'prBody' | 'model'>;

export interface CheckOutcome extends CheckResult {
  base: string;
  head: string;
  policySource: string;
}

const DEFAULT_STACKS_ROOT = '/opt/stacks';

export async function checkChange(opts: CheckOptions): Promise<CheckOutcome> {
  const prepared = await prepareChange(opts);
  const { repo, change, policy } = prepared;
  const composeFiles = [];
  for (const path of listComposePaths(change.headPaths, policy.review.stacksDir)) {
    const text = await readFileAt(repo, change.head, path);
    composeFiles.push({ path, parsed: text === null ? { ok: false as const, error: 'cannot be read' } : parseComposeFacts(text) });
  }
  const config = await checkConfigAt(repo, change.head);
  const intentsDir = policy.review.intentsDir.replace(/\/+$/, '');
  const intentFiles: IntentFile[] = [];
  for (const path of change.headPaths) {
    const rest = path.startsWith(`${intentsDir}/`) ? path.slice(intentsDir.length + 1) : null;
    if (rest === null || rest.includes('/') || rest.startsWith('.') || !/\.ya?ml$/.test(rest)) continue;
    intentFiles.push({ file: path, text: (await readFileAt(repo, change.head, path)) ?? '' });
  }
  const built = buildCatalog(intentFiles, { stacksRoot: config.stacksRoot });
  const result = checkGuardrails({
    review: prepared.input,
    composeFiles,
    intents: built.ok ? { ok: true, count: built.value.list().length } : { ok: false, errors: built.errors },
    configErrors: config.errors,
  }, policy);
  return prepared.redactor.redactValue({ ...result, base: change.base, head: change.head, policySource: prepared.policySource });
}

/** oresi.yaml at head, validated like start-up would (without the environment's overrides). */
async function checkConfigAt(repo: GitRepo, head: string): Promise<{ errors: string[] | null; stacksRoot: string }> {
  const text = await readFileAt(repo, head, 'oresi.yaml');
  if (text === null) return { errors: null, stacksRoot: DEFAULT_STACKS_ROOT };
  try {
    const config = await loadConfig({ path: 'oresi.yaml', text, env: {}, cwd: repo.dir });
    return { errors: [], stacksRoot: config.stacksRoot };
  } catch (err) {
    if (err instanceof AppError && err.code === 'E_CONFIG_INVALID') return { errors: [err.message], stacksRoot: DEFAULT_STACKS_ROOT };
    throw err;
  }
}
