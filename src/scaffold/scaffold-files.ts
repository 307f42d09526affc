import { INTENT_RESTART, INTENT_ROLLOUT, INTENT_STATUS } from './templates/intents.js';
import { ORESI_YAML, POLICY_YAML } from './templates/config.js';
import { CHANGELOG_MD, GUARDRAILS_MD, README_MD, RELEASE_PROCESS_MD, RUBRIC_MD, STACK_DOC_MD } from './templates/docs.js';
import { GITIGNORE, STACK_COMPOSE, STACK_ENV_EXAMPLE } from './templates/stack.js';
import { GITEA_WORKFLOW, GITHUB_WORKFLOW, PR_TEMPLATE } from './templates/workflows.js';

export interface ScaffoldFile {
  /** Relative to the new repository's root, forward slashes. */
  path: string;
  content: string;
}

/** Every file `oresi init` writes, in the order it writes them. Pure. */
export function listScaffoldFiles(version: string): ScaffoldFile[] {
  const files: [string, string][] = [
    ['README.md', README_MD],
    ['.gitignore', GITIGNORE],
    ['oresi.yaml', ORESI_YAML],
    ['policy.yaml', POLICY_YAML],
    ['stacks/hello/compose.yaml', STACK_COMPOSE],
    ['stacks/hello/.env.example', STACK_ENV_EXAMPLE],
    ['intents/hello-status.yaml', INTENT_STATUS],
    ['intents/hello-restart.yaml', INTENT_RESTART],
    ['intents/hello-rollout.yaml', INTENT_ROLLOUT],
    ['.github/workflows/oresi.yml', GITHUB_WORKFLOW],
    ['.gitea/workflows/oresi.yml', GITEA_WORKFLOW],
    ['.github/pull_request_template.md', PR_TEMPLATE],
    ['docs/policies/guardrails.md', GUARDRAILS_MD],
    ['docs/policies/rubric.md', RUBRIC_MD],
    ['docs/stacks/hello.md', STACK_DOC_MD],
    ['RELEASE_PROCESS.md', RELEASE_PROCESS_MD],
    ['CHANGELOG.md', CHANGELOG_MD],
  ];
  return files.map(([path, content]) => ({ path, content: content.replaceAll('__ORESI_VERSION__', version) }));
}
