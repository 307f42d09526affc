import type { PrGate } from '../config/approval-schema.js';

/**
 * Decides whether a PR's live state satisfies a PR gate. The verifiers (approval/) turn
 * GitHub or Gitea responses into this normalised evidence; every rule lives here, pure, so
 * both providers are judged the same way and every refusal says what to do about it.
 */

export interface PrFacts {
  number: number;
  state: 'open' | 'closed';
  merged: boolean;
  author: string;
  headSha: string;
  /** Milliseconds; null when the provider gave no way to tell (then the gate refuses). */
  lastPushAt: number | null;
}

export interface LabelEvent {
  label: string;
  actor: string;
  /** Milliseconds since the epoch. */
  at: number;
  action: 'added' | 'removed';
}

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';

export interface Review {
  user: string;
  state: ReviewState;
  at: number;
  commitId: string | null;
}

export interface PrEvidence {
  pr: PrFacts;
  labelEvents: LabelEvent[];
  reviews: Review[];
  /** `org/team` → logins known to be active members (only those the verifier asked about). */
  teamMembers?: Readonly<Record<string, readonly string[]>>;
}

export interface PrApprovalRecord {
  number: number;
  state: 'open' | 'merged';
  headSha: string;
  label: string;
  labelledBy: string;
  labelledAt: string;
  lastPushAt: string;
  approvedBy: string[];
}

export type PrDecision = { ok: true; evidence: PrApprovalRecord } | { ok: false; reason: string };

const lower = (s: string) => s.toLowerCase();
const iso = (ms: number) => new Date(ms).toISOString();

/** The `added` event that explains the label's current presence, if it is present at all. */
export function findEffectiveLabel(events: readonly LabelEvent[], label: string): LabelEvent | undefined {
  let current: LabelEvent | undefined;
  // Stable sort: events with the same second keep the provider's order.
  const ordered = [...events].filter((e) => lower(e.label) === lower(label)).sort((a, b) => a.at - b.at);
  for (const e of ordered) current = e.action === 'added' ? e : undefined;
  return current;
}

/** The state that counts per reviewer: their latest APPROVED, CHANGES_REQUESTED or DISMISSED. */
export function latestReviewStates(reviews: readonly Review[]): Map<string, Review> {
  const latest = new Map<string, Review>();
  const ordered = [...reviews].sort((a, b) => a.at - b.at);
  for (const r of ordered) {
    // A plain comment after an approval does not withdraw it (GitHub and Gitea agree).
    if (r.state === 'COMMENTED' || r.state === 'PENDING') continue;
    latest.set(lower(r.user), r);
  }
  return latest;
}

export function isLabelApprover(gate: PrGate, login: string, teamMembers: PrEvidence['teamMembers']): boolean {
  const who = lower(login);
  if (gate.labelBy.users.some((u) => lower(u) === who)) return true;
  return gate.labelBy.teams.some((t) => (teamMembers?.[t] ?? []).some((m) => lower(m) === who));
}

export function evaluatePrGate(gate: PrGate, ev: PrEvidence): PrDecision {
  const pr = ev.pr;
  const stateProblem = checkState(gate, pr);
  if (stateProblem) return { ok: false, reason: stateProblem };

  const added = findEffectiveLabel(ev.labelEvents, gate.label);
  if (!added) return { ok: false, reason: describeMissingLabel(gate.label, pr.number, ev.labelEvents) };
  if (!isLabelApprover(gate, added.actor, ev.teamMembers)) {
    return { ok: false, reason: `label \`${gate.label}\` was added by @${added.actor}, who is not in approvers (${describeApprovers(gate)}); ask an approver to re-apply it` };
  }
  if (!gate.allowAuthorLabel && lower(added.actor) === lower(pr.author)) {
    return { ok: false, reason: `label \`${gate.label}\` was added by @${added.actor}, the author of PR #${pr.number}; another approver must apply it` };
  }
  if (pr.lastPushAt === null) {
    return { ok: false, reason: `could not tell when PR #${pr.number} was last pushed, so label \`${gate.label}\` cannot be shown to cover the current code` };
  }
  // Same second counts as before: timestamps are whole seconds and order within one is unknown.
  if (added.at <= pr.lastPushAt) {
    return { ok: false, reason: `label \`${gate.label}\` was added at ${iso(added.at)}, before the last push at ${iso(pr.lastPushAt)}; re-apply it` };
  }

  const reviewProblem = checkReviews(gate, ev);
  if (typeof reviewProblem === 'string') return { ok: false, reason: reviewProblem };

  return {
    ok: true,
    evidence: {
      number: pr.number,
      state: pr.merged ? 'merged' : 'open',
      headSha: pr.headSha,
      label: gate.label,
      labelledBy: added.actor,
      labelledAt: iso(added.at),
      lastPushAt: iso(pr.lastPushAt),
      approvedBy: reviewProblem.approvedBy,
    },
  };
}

function checkState(gate: PrGate, pr: PrFacts): string | null {
  if (pr.state === 'closed' && !pr.merged) return `PR #${pr.number} is closed and not merged`;
  if (gate.state === 'merged' && !pr.merged) return `PR #${pr.number} is open; this approval counts only once it is merged`;
  if (gate.state === 'open' && pr.state !== 'open') return `PR #${pr.number} is already merged; this approval needs an open PR`;
  return null;
}

function checkReviews(gate: PrGate, ev: PrEvidence): string | { approvedBy: string[] } {
  const pr = ev.pr;
  const author = lower(pr.author);
  const latest = [...latestReviewStates(ev.reviews).values()].filter((r) => lower(r.user) !== author);
  const blocking = latest.filter((r) => r.state === 'CHANGES_REQUESTED');
  if (blocking.length > 0) {
    return `PR #${pr.number} has changes requested by ${blocking.map((r) => `@${r.user}`).join(', ')}; resolve them and get a new approval`;
  }
  const approvals = latest.filter((r) => r.state === 'APPROVED');
  const counted = gate.requireHeadSha ? approvals.filter((r) => r.commitId === pr.headSha) : approvals;
  if (counted.length < gate.minApprovals) {
    const onHead = gate.requireHeadSha ? ` on the head commit ${pr.headSha.slice(0, 12)}` : '';
    const stale = approvals.length - counted.length;
    const staleNote = stale > 0 ? `; ${stale} approval(s) are on older commits` : '';
    return `PR #${pr.number} needs ${gate.minApprovals} approving review(s)${onHead} from someone other than the author @${pr.author}; has ${counted.length} (reviews by the author do not count${staleNote})`;
  }
  return { approvedBy: counted.map((r) => r.user) };
}

function describeMissingLabel(label: string, number: number, events: readonly LabelEvent[]): string {
  const mine = events.filter((e) => lower(e.label) === lower(label)).sort((a, b) => a.at - b.at);
  const last = mine[mine.length - 1];
  if (last && last.action === 'removed') {
    return `label \`${label}\` was removed from PR #${number} by @${last.actor} at ${iso(last.at)}; an approver must re-apply it`;
  }
  return `label \`${label}\` is not on PR #${number}; ask an approver to apply it`;
}

function describeApprovers(gate: PrGate): string {
  const parts: string[] = [];
  if (gate.labelBy.users.length > 0) parts.push(`users: ${gate.labelBy.users.join(', ')}`);
  if (gate.labelBy.teams.length > 0) parts.push(`teams: ${gate.labelBy.teams.join(', ')}`);
  return parts.join('; ');
}
