import type { IntentSummary, RunView } from '../model.js';
import { renderPlan } from '../plan/render.js';
import type { DryRunResult } from '../rollout/types.js';
import { VERBS } from './chat-command.js';
import type { ChatResult } from './perform.js';

/** The little markup Discord and Slack disagree on. Code spans and ``` blocks they share. */
export interface Markup {
  bold(text: string): string;
  /** Longest message the platform shows in one piece. */
  maxLength: number;
}

export const DISCORD_MARKUP: Markup = { bold: (t) => `**${t}**`, maxLength: 2000 };
export const SLACK_MARKUP: Markup = { bold: (t) => `*${t}*`, maxLength: 2900 };

const OUTPUT_TAIL_LINES = 12;
const STATE_MARK: Record<string, string> = {
  succeeded: '✅', failed: '❌', rolled_back: '↩️', timed_out: '⏱️', cancelled: '🛑', interrupted: '⚠️',
  rejected: '⛔', denied: '⛔', expired: '⌛', pending_approval: '⏳', running: '▶️', approved: '👍', requested: '📝',
};

/** Text a user typed or a process printed must not close our code block or open a new one. */
function fence(text: string): string {
  return '```\n' + text.replace(/```/g, '`\u200b``') + '\n```';
}

function tail(text: string, lines: number): string {
  const all = text.trimEnd().split('\n');
  return all.length <= lines ? all.join('\n') : ['…', ...all.slice(-lines)].join('\n');
}

export function renderRun(run: RunView, m: Markup): string {
  const head = `${STATE_MARK[run.state] ?? ''} run \`${run.id}\`: ${run.intent} on ${run.stack} → ${m.bold(run.state)}`.trim();
  const lines = [head, `requested by ${run.requestedBy}${run.reason ? ` — ${run.reason}` : ''}`];
  if (run.state === 'pending_approval') lines.push(`waiting for approval by someone other than ${run.requestedBy}`);
  for (const s of run.steps) {
    const exit = s.exitCode !== null ? ` (exit ${s.exitCode})` : '';
    const took = s.durationMs !== null ? ` in ${s.durationMs} ms` : '';
    lines.push(`${s.index}. ${s.description}: ${s.outcome}${exit}${took}`);
  }
  const last = [...run.steps].reverse().find((s) => s.stdout.trim() || s.stderr.trim());
  if (last) lines.push(fence(tail([last.stdout, last.stderr].filter((t) => t.trim()).join('\n'), OUTPUT_TAIL_LINES)));
  return lines.join('\n');
}

function renderIntents(intents: IntentSummary[]): string {
  if (intents.length === 0) return 'no intents you may use';
  return intents.map((i) => `• \`${i.name}\` (${i.stack}: ${i.actions.join(', ')})${i.description ? ` — ${i.description}` : ''}${i.approval ? ' [needs approval]' : ''}`).join('\n');
}

function renderRuns(runs: RunView[]): string {
  if (runs.length === 0) return 'no runs yet';
  return runs.map((r) => `${STATE_MARK[r.state] ?? '•'} \`${r.id}\` ${r.intent} on ${r.stack}: ${r.state} (${r.requestedBy}, ${r.createdAt})`).join('\n');
}

const shortId = (id: string | null) => (id === null ? 'nothing' : id.replace(/^sha256:/, '').slice(0, 12));

/** Which images a rollout would move and the commands it would run; mirrors `oresi rollout --dry-run`. */
export function renderDryRun(d: DryRunResult, m: Markup): string {
  const lines = [`dry run of rollout on ${d.stack}: ${m.bold('nothing ran')}`];
  const body: string[] = [];
  if (d.changes.length === 0) body.push('(no services)');
  for (const c of d.changes) {
    const move = c.wouldChange ? `would move ${shortId(c.currentImageId)} → ${shortId(c.localImageId)}` : 'no local change';
    body.push(`${c.service}: ${c.imageRef ?? '(no image ref)'}: ${move}${c.wouldPull ? ', pulls first (may move further)' : ''}`);
  }
  for (const s of d.steps) body.push(`$ ${s.argv.join(' ')}`);
  lines.push(fence(body.join('\n')));
  return lines.join('\n');
}

const HELP = [
  'usage: /oresi <command>',
  `commands: ${VERBS.join(', ')}`,
  '  plan <intent> [key=value …]         show the exact argv; runs nothing',
  '  run <intent> [key=value …] [--pr <ref>] [--reason <text>]',
  '  status|approve|deny|cancel <run id>',
  '  rollout <stack> [--no-pull] [--dry-run] [--reason <text>]',
  '  rollback <stack> [--to <rollout-id>] [--reason <text>]',
].join('\n');

/** Plain text for a result; the caller redacts and trims it for its platform. */
export function renderResult(result: ChatResult, m: Markup): string {
  switch (result.kind) {
    case 'help': return fence(HELP);
    case 'intents': return renderIntents(result.intents);
    case 'plan': return fence(renderPlan(result.plan));
    case 'runs': return renderRuns(result.runs);
    case 'run': return renderRun(result.run, m);
    case 'dry-run': return renderDryRun(result.dryRun, m);
    case 'error': return `${m.bold('refused')} (${result.code}): ${result.message}`;
  }
}

/**
 * Redaction at the boundary (invariant 6), then the platform's length limit. Cutting happens
 * after redaction so a secret can never be split into a prefix that no longer matches.
 */
export function finishText(text: string, m: Markup, redact: (t: string) => string): string {
  const clean = redact(text);
  if (clean.length <= m.maxLength) return clean;
  const marker = '\n… (cut; see the run in the API or the CLI)';
  const open = (clean.slice(0, m.maxLength - marker.length - 4).match(/```/g) ?? []).length % 2 === 1;
  return clean.slice(0, m.maxLength - marker.length - 4) + (open ? '\n```' : '') + marker;
}

/** The run id when the result should carry Approve / Deny buttons. */
export function pendingRunId(result: ChatResult): string | undefined {
  return result.kind === 'run' && result.run.state === 'pending_approval' ? result.run.id : undefined;
}
