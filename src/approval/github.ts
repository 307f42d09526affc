import { z } from 'zod';
import type { LabelEvent, PrEvidence, Review, ReviewState } from '../policy/approval-pr.js';
import { getJson, type HttpDeps } from './http-json.js';
import { getLinkedPages } from './paginate.js';
import { apiPath, GHOST, toMillis, type EvidenceResult, type MembershipResult, type PrSource } from './types.js';

/**
 * GitHub REST (api.github.com or GHE /api/v3). Shapes follow the documented responses of
 * GET /repos/{o}/{r}/pulls/{n}, /issues/{n}/timeline, /pulls/{n}/reviews and
 * /orgs/{org}/teams/{slug}/memberships/{user}; only the fields used are validated.
 *
 * Last push time: the latest of the timeline's `head_ref_force_pushed.created_at` (recorded
 * by GitHub) and every `committed` event's committer date. GitHub exposes no server-side
 * time for an ordinary push, and a committer date is written by the pusher, so a forged,
 * backdated commit could look older than the label; a gate that must be tamper-proof
 * should also set `requireHeadSha`, which binds approving reviews to the head commit id
 * GitHub itself recorded.
 */

const User = z.object({ login: z.string().min(1) });

const Pull = z.object({
  number: z.number().int(),
  state: z.enum(['open', 'closed']),
  merged: z.boolean().optional(),
  merged_at: z.string().nullable().optional(),
  user: User,
  head: z.object({ sha: z.string().min(7) }),
});

const TimelineItem = z.object({ event: z.string().optional() }).loose();
const LabelItem = z.object({
  event: z.enum(['labeled', 'unlabeled']),
  actor: User.nullable(),
  label: z.object({ name: z.string() }),
  created_at: z.string(),
});
const ForcePushItem = z.object({ event: z.literal('head_ref_force_pushed'), created_at: z.string() });
const CommittedItem = z.object({ event: z.literal('committed'), committer: z.object({ date: z.string() }) });

const ReviewItem = z.object({
  user: User.nullable(),
  state: z.string(),
  submitted_at: z.string().nullable().optional(),
  commit_id: z.string().nullable().optional(),
});

const Membership = z.object({ state: z.string() });

const REVIEW_STATES: readonly ReviewState[] = ['APPROVED', 'CHANGES_REQUESTED', 'COMMENTED', 'DISMISSED', 'PENDING'];

export function createGithubSource(http: HttpDeps, apiUrl: string): PrSource {
  return {
    async loadEvidence(repo, number) {
      const [owner, name] = repo.split('/') as [string, string];
      const pull = await getJson(http, apiPath(apiUrl, 'repos', owner, name, 'pulls', number), Pull);
      if (!pull.ok) return pull;
      if (pull.data.number !== number) return { ok: false, reason: `GitHub answered PR #${pull.data.number} when asked for #${number}` };
      const timeline = await getLinkedPages(http, `${apiPath(apiUrl, 'repos', owner, name, 'issues', number, 'timeline')}?per_page=100`, TimelineItem);
      if (!timeline.ok) return timeline;
      const reviews = await getLinkedPages(http, `${apiPath(apiUrl, 'repos', owner, name, 'pulls', number, 'reviews')}?per_page=100`, ReviewItem);
      if (!reviews.ok) return reviews;
      return toEvidence(pull.data, timeline.items, reviews.items);
    },
    async isTeamMember(team, login): Promise<MembershipResult> {
      const [org, slug] = team.split('/') as [string, string];
      const res = await getJson(http, apiPath(apiUrl, 'orgs', org, 'teams', slug, 'memberships', login), Membership, [404]);
      if (!res.ok) return res;
      // 404: not a member. A `pending` invitation is not membership yet.
      return { ok: true, member: res.status === 200 && res.data.state === 'active' };
    },
  };
}

function toEvidence(
  pull: z.infer<typeof Pull>,
  timeline: z.infer<typeof TimelineItem>[],
  reviewItems: z.infer<typeof ReviewItem>[],
): EvidenceResult {
  const labelEvents: LabelEvent[] = [];
  let lastPushAt: number | null = null;
  const pushedAt = (ms: number) => { lastPushAt = lastPushAt === null ? ms : Math.max(lastPushAt, ms); };
  for (const item of timeline) {
    if (item.event === 'labeled' || item.event === 'unlabeled') {
      const e = LabelItem.safeParse(item);
      const at = e.success ? toMillis(e.data.created_at) : null;
      if (!e.success || at === null) return { ok: false, reason: `GitHub timeline of PR #${pull.number} has a malformed ${item.event} event` };
      labelEvents.push({ label: e.data.label.name, actor: e.data.actor?.login ?? GHOST, at, action: e.data.event === 'labeled' ? 'added' : 'removed' });
    } else if (item.event === 'head_ref_force_pushed' || item.event === 'committed') {
      const e = item.event === 'committed' ? CommittedItem.safeParse(item) : ForcePushItem.safeParse(item);
      const at = e.success ? toMillis('committer' in e.data ? e.data.committer.date : e.data.created_at) : null;
      if (at === null) return { ok: false, reason: `GitHub timeline of PR #${pull.number} has a malformed ${item.event} event` };
      pushedAt(at);
    }
  }
  const reviews: Review[] = [];
  for (const r of reviewItems) {
    const state = REVIEW_STATES.find((s) => s === r.state);
    if (state === undefined) return { ok: false, reason: `GitHub review of PR #${pull.number} has unknown state ${JSON.stringify(r.state).slice(0, 40)}` };
    if (state === 'PENDING') continue; // not submitted: invisible to everyone but its author
    const at = toMillis(r.submitted_at);
    if (at === null) return { ok: false, reason: `GitHub review of PR #${pull.number} has no submitted_at` };
    reviews.push({ user: r.user?.login ?? GHOST, state, at, commitId: r.commit_id ?? null });
  }
  const merged = pull.merged ?? (pull.merged_at !== null && pull.merged_at !== undefined);
  const evidence: PrEvidence = {
    pr: { number: pull.number, state: pull.state, merged, author: pull.user.login, headSha: pull.head.sha, lastPushAt },
    labelEvents,
    reviews,
  };
  return { ok: true, evidence };
}
