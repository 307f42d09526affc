import { z } from 'zod';
import type { LabelEvent, PrEvidence, Review, ReviewState } from '../policy/approval-pr.js';
import { getJson, type HttpDeps } from './http-json.js';
import { getNumberedPages } from './paginate.js';
import { apiPath, GHOST, toMillis, type EvidenceResult, type MembershipResult, type PrSource } from './types.js';

/**
 * Gitea REST (/api/v1). Shapes follow GET /repos/{o}/{r}/pulls/{n}, /issues/{n}/timeline
 * (TimelineComment: `type`, `user`, `label`, `body`, `created_at`) and /pulls/{n}/reviews.
 * A `label` timeline entry records an addition with body "1" and a removal with an empty
 * body (models/issues: createLabelComment).
 *
 * Last push time: the latest `pull_push` timeline entry's created_at, which Gitea stamps
 * when it receives the push (not a date taken from the commit), or the PR's creation time
 * when nothing was pushed since it was opened.
 */

const PAGE_LIMIT = 50;

const User = z.object({ login: z.string().min(1) });

const Pull = z.object({
  number: z.number().int(),
  state: z.enum(['open', 'closed']),
  merged: z.boolean(),
  user: User,
  head: z.object({ sha: z.string().min(7) }),
  created_at: z.string(),
});

const TimelineItem = z.object({
  type: z.string(),
  user: User.nullable().optional(),
  label: z.object({ name: z.string() }).nullable().optional(),
  body: z.string().nullable().optional(),
  created_at: z.string(),
});

const ReviewItem = z.object({
  user: User.nullable().optional(),
  state: z.string(),
  submitted_at: z.string().nullable().optional(),
  commit_id: z.string().nullable().optional(),
  dismissed: z.boolean().optional(),
});

const Team = z.object({ id: z.number().int(), name: z.string() });

const STATE_MAP: Readonly<Record<string, ReviewState>> = {
  APPROVED: 'APPROVED',
  REQUEST_CHANGES: 'CHANGES_REQUESTED',
  COMMENT: 'COMMENTED',
  PENDING: 'PENDING',
};

export function createGiteaSource(http: HttpDeps, apiUrl: string): PrSource {
  return {
    async loadEvidence(repo, number) {
      const [owner, name] = repo.split('/') as [string, string];
      const pull = await getJson(http, apiPath(apiUrl, 'repos', owner, name, 'pulls', number), Pull);
      if (!pull.ok) return pull;
      if (pull.data.number !== number) return { ok: false, reason: `Gitea answered PR #${pull.data.number} when asked for #${number}` };
      const timeline = await getNumberedPages(http, apiPath(apiUrl, 'repos', owner, name, 'issues', number, 'timeline'), TimelineItem, PAGE_LIMIT);
      if (!timeline.ok) return timeline;
      const reviews = await getNumberedPages(http, apiPath(apiUrl, 'repos', owner, name, 'pulls', number, 'reviews'), ReviewItem, PAGE_LIMIT);
      if (!reviews.ok) return reviews;
      return toEvidence(pull.data, timeline.items, reviews.items);
    },
    async isTeamMember(team, login): Promise<MembershipResult> {
      const [org, teamName] = team.split('/') as [string, string];
      // /teams/search only finds teams the token's user belongs to (go-gitea/gitea#22101), so list them.
      const teams = await getNumberedPages(http, apiPath(apiUrl, 'orgs', org, 'teams'), Team, PAGE_LIMIT);
      if (!teams.ok) return teams;
      const found = teams.items.filter((t) => t.name.toLowerCase() === teamName.toLowerCase());
      if (found.length !== 1) return { ok: false, reason: `Gitea team ${team} ${found.length === 0 ? 'was not found (or the token cannot see it)' : 'is ambiguous'}` };
      const id = (found[0] as z.infer<typeof Team>).id;
      const res = await getJson(http, apiPath(apiUrl, 'teams', id, 'members', login), z.unknown(), [404]);
      if (!res.ok) return res;
      return { ok: true, member: res.status === 200 };
    },
  };
}

function toEvidence(
  pull: z.infer<typeof Pull>,
  timeline: z.infer<typeof TimelineItem>[],
  reviewItems: z.infer<typeof ReviewItem>[],
): EvidenceResult {
  const labelEvents: LabelEvent[] = [];
  let lastPushAt = toMillis(pull.created_at);
  if (lastPushAt === null) return { ok: false, reason: `Gitea PR #${pull.number} has no valid created_at` };
  for (const item of timeline) {
    if (item.type !== 'label' && item.type !== 'pull_push') continue;
    const at = toMillis(item.created_at);
    if (at === null) return { ok: false, reason: `Gitea timeline of PR #${pull.number} has a ${item.type} entry without a valid time` };
    if (item.type === 'pull_push') {
      lastPushAt = Math.max(lastPushAt, at);
      continue;
    }
    if (!item.label) return { ok: false, reason: `Gitea timeline of PR #${pull.number} has a label entry without a label` };
    labelEvents.push({ label: item.label.name, actor: item.user?.login ?? GHOST, at, action: item.body === '1' ? 'added' : 'removed' });
  }
  const reviews: Review[] = [];
  for (const r of reviewItems) {
    // REQUEST_REVIEW is a request for a review, not a review.
    if (r.state === 'REQUEST_REVIEW') continue;
    const mapped = STATE_MAP[r.state];
    if (mapped === undefined) return { ok: false, reason: `Gitea review of PR #${pull.number} has unknown state ${JSON.stringify(r.state).slice(0, 40)}` };
    if (mapped === 'PENDING') continue;
    const at = toMillis(r.submitted_at);
    if (at === null) return { ok: false, reason: `Gitea review of PR #${pull.number} has no submitted_at` };
    // Gitea keeps a dismissed review's original state and sets `dismissed`.
    const state: ReviewState = r.dismissed === true ? 'DISMISSED' : mapped;
    reviews.push({ user: r.user?.login ?? GHOST, state, at, commitId: r.commit_id ?? null });
  }
  const evidence: PrEvidence = {
    pr: { number: pull.number, state: pull.state, merged: pull.merged, author: pull.user.login, headSha: pull.head.sha, lastPushAt },
    labelEvents,
    reviews,
  };
  return { ok: true, evidence };
}
