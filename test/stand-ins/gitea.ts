import { iso, notFound, pageOf, startStandIn, type Reply, type StandIn } from './http-stand-in.js';

/**
 * A Gitea /api/v1 stand-in serving the documented shapes (swagger: PullRequest,
 * TimelineComment, PullReview, Team), with `page`+`limit` pagination, `X-Total-Count`,
 * and `Authorization: token …` auth.
 */

export interface GtPr {
  number: number;
  state: 'open' | 'closed';
  merged: boolean;
  author: string;
  headSha: string;
  createdAt: number;
  timeline: unknown[];
  reviews: unknown[];
}

export interface GiteaStandIn extends StandIn {
  /** REST root to configure: `<url>/api/v1`. */
  apiUrl: string;
  token: string;
  prs: Map<string, GtPr>;
  /** `org/team name` → { id, members }. */
  teams: Map<string, { id: number; members: string[] }>;
  /** Gitea's MAX_RESPONSE_ITEMS: caps `limit`. */
  pageSize: number;
}

const user = (login: string) => ({ id: login.length, login, login_name: '', full_name: '', email: `${login}@example.com`, username: login });

function gtPull(pr: GtPr): unknown {
  return {
    id: 500 + pr.number, url: '', number: pr.number, user: user(pr.author), title: `PR ${pr.number}`, body: '',
    labels: [], state: pr.state, is_locked: false, comments: 0, html_url: '', diff_url: '', patch_url: '',
    mergeable: true, merged: pr.merged, merged_at: pr.merged ? '2025-01-02T00:00:00Z' : null,
    merge_commit_sha: pr.merged ? 'f'.repeat(40) : null, merged_by: pr.merged ? user('admin') : null,
    base: { label: 'main', ref: 'main', sha: 'b'.repeat(40), repo_id: 1 },
    head: { label: 'feature', ref: 'feature', sha: pr.headSha, repo_id: 1 },
    merge_base: 'b'.repeat(40), created_at: iso(pr.createdAt), updated_at: iso(pr.createdAt),
  };
}

/** A `label` TimelineComment: body "1" when added, "" when removed (models/issues createLabelComment). */
export function gtLabel(actor: string, label: string, at: number, removed = false): unknown {
  return {
    id: at, type: 'label', html_url: '', pull_request_url: '', issue_url: '', user: user(actor), body: removed ? '' : '1',
    created_at: iso(at), updated_at: iso(at), label: { id: 3, name: label, color: '00aabb', description: '', exclusive: false },
  };
}

export function gtPullPush(actor: string, at: number, force = false): unknown {
  return {
    id: at, type: 'pull_push', html_url: '', user: user(actor), created_at: iso(at), updated_at: iso(at), label: null,
    body: JSON.stringify({ is_force_push: force, commit_ids: ['c'.repeat(40)] }),
  };
}

export function gtComment(actor: string, at: number): unknown {
  return { id: at, type: 'comment', user: user(actor), body: 'looks good', created_at: iso(at), updated_at: iso(at), label: null };
}

export function gtReview(login: string, state: string, at: number, commitId: string, dismissed = false): unknown {
  return {
    id: at, user: user(login), team: null, state, body: '', commit_id: commitId, stale: false, official: true,
    dismissed, comments_count: 0, submitted_at: iso(at), updated_at: iso(at), html_url: '', pull_request_url: '',
  };
}

export async function startGiteaStandIn(token = 'gitea-test-token'): Promise<GiteaStandIn> {
  const prs = new Map<string, GtPr>();
  const teams = new Map<string, { id: number; members: string[] }>();
  const cfg = { pageSize: 50 };
  const paged = (url: URL, all: readonly unknown[]): Reply => {
    const limit = Math.min(Number(url.searchParams.get('limit') ?? cfg.pageSize), cfg.pageSize);
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
    return { status: 200, body: pageOf(all, page, limit), headers: { 'x-total-count': String(all.length) } };
  };
  const standIn = await startStandIn((url, req) => {
    if (req.headers.authorization !== `token ${token}`) return { status: 401, body: { message: 'token is required' } };
    const p = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (p[0] !== 'api' || p[1] !== 'v1') return notFound();
    const q = p.slice(2);
    if (q[0] === 'repos' && q.length >= 5) {
      const pr = prs.get(`${q[1]}/${q[2]}#${q[4]}`);
      if (!pr) return notFound();
      if (q[3] === 'pulls' && q.length === 5) return { status: 200, body: gtPull(pr) };
      if (q[3] === 'issues' && q[5] === 'timeline') return paged(url, pr.timeline);
      if (q[3] === 'pulls' && q[5] === 'reviews') return paged(url, pr.reviews);
    }
    if (q[0] === 'orgs' && q[2] === 'teams' && q.length === 3) {
      const list = [...teams.entries()].filter(([k]) => k.startsWith(`${q[1]}/`))
        .map(([k, v]) => ({ id: v.id, name: k.split('/')[1], permission: 'read', units: [] }));
      return paged(url, list);
    }
    if (q[0] === 'teams' && q[2] === 'members' && q.length === 4) {
      const team = [...teams.values()].find((t) => String(t.id) === q[1]);
      if (!team) return notFound();
      return team.members.includes(q[3] ?? '') ? { status: 200, body: user(q[3] ?? '') } : notFound();
    }
    return notFound();
  });
  const self = Object.assign(standIn, { apiUrl: `${standIn.url}/api/v1`, token, prs, teams, pageSize: 50 });
  Object.defineProperty(self, 'pageSize', { get: () => cfg.pageSize, set: (v: number) => { cfg.pageSize = v; } });
  return self;
}
