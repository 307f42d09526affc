import type { Plan, PlanStep } from './types.js';

const SHORT_HASH = 12;

/**
 * A dry run for people, without a trailing newline. The argv is shown shell-quoted so it can be
 * read (and pasted) as one line, but that is a display form only: oresi passes argv to spawn,
 * never to a shell.
 */
export function renderPlan(plan: Plan): string {
  const lines = [
    `Plan for intent ${plan.intent} on stack ${plan.stack} (dry run: nothing has been executed)`,
    `  params:  ${renderParams(plan.params)}`,
    `  compose: ${plan.dialect}   timeout: ${formatSeconds(plan.timeoutMs)}   plan hash: ${plan.hash.slice(0, SHORT_HASH)}`,
    `  steps (argv shown shell-quoted for display only; it is run without a shell):`,
  ];
  for (const step of plan.steps) {
    const from = step.intent === plan.intent ? '' : ` [from ${step.intent}]`;
    lines.push(`  ${step.index}. ${step.description}${from}`);
    lines.push(`     cwd: ${quoteForDisplay(step.cwd)}`);
    lines.push(`     $ ${step.argv.map(quoteForDisplay).join(' ')}`);
    const note = describeComposite(step);
    if (note) lines.push(`     ${note}`);
  }
  return lines.join('\n');
}

/** Composite steps start more than the one argv shown; say what else they do. */
function describeComposite(step: PlanStep): string | null {
  if (step.kind === 'rollout' && step.rollout) {
    const pull = step.rollout.pull ? 'pull, then ' : '';
    return `(rollout: record a rollback point and tag its images, ${pull}this up, wait ${formatSeconds(step.rollout.healthTimeoutMs)} for health, roll back on failure)`;
  }
  if (step.kind === 'rollback' && step.rollback) {
    return `(rollback: this up with an override pinning the images of ${step.rollback.to ?? 'the newest rollback point'}, then a health wait of ${formatSeconds(step.rollback.healthTimeoutMs)})`;
  }
  return null;
}

function renderParams(params: Plan['params']): string {
  const keys = Object.keys(params).sort();
  if (keys.length === 0) return '(none)';
  return keys.map((key) => `${key}=${quoteForDisplay(String(params[key]))}`).join(' ');
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/**
 * POSIX single-quoting: plain words stay bare; anything else goes in single quotes with each
 * embedded ' written as '\''.
 */
export function quoteForDisplay(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}
