import { notesAbout } from './pr-body.js';
import type { ReviewPolicyFile } from './review-policy-schema.js';
import { changedStacks } from './service-changes.js';
import type { CategoryEvidence, Issue, ReviewInput } from './types.js';

const ROLLBACK = /roll\s?-?back|revert/i;
/** A note that says *to what*: a tag, a version, a commit, or the command. */
const CONCRETE = /\b(?:v?\d+\.\d+(?:\.\d+)?|tag|previous|git revert|oresi rollback|[0-9a-f]{7,40})\b/i;

export function scoreRollback(input: ReviewInput, policy: ReviewPolicyFile): CategoryEvidence {
  const issues: Issue[] = [];
  const stacks = changedStacks(input, policy.review.stacksDir);
  if (stacks.length === 0) return { issues, notes: ['no stack changed'] };
  const which = stacks.join(', ');
  if (input.prBody === null) {
    issues.push({ area: 'rollback', severity: 'med', cap: 2, msg: `stack(s) ${which} changed and no PR body was given to read a rollback note from`, action: 'add a "Rollback" section to the PR body (pass it with --pr-body)' });
    return { issues, notes: [] };
  }
  const note = notesAbout(input.prBody, ROLLBACK);
  if (note === '') {
    issues.push({ area: 'rollback', severity: 'med', cap: 2, msg: `stack(s) ${which} changed but the PR body has no rollback note`, action: `write in a "Rollback" section how to undo the change to ${which} (previous tag, oresi rollback, git revert)` });
    return { issues, notes: [] };
  }
  if (!CONCRETE.test(note)) {
    issues.push({ area: 'rollback', severity: 'low', penalty: 1, msg: 'the rollback note does not say what to roll back to (a tag, version, commit or command)' });
    return { issues, notes: [] };
  }
  return { issues, notes: [`the PR body says how to roll back ${which}`] };
}
