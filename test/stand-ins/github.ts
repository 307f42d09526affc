import { iso, notFound, pageOf, startStandIn, type Reply, type StandIn } from './http-stand-in.js';

/**
 * A GitHub REST stand-in serving the documented response shapes (docs.github.com/rest:
 * pulls, issues/timeline, pulls/reviews, teams/memberships), with `Link` pagination and
 * Bearer-token auth. Only what oresi reads is modelled, plus realistic neighbours it must ignore.
 */

export interface GhPr {
  number: number;
  state: 'open' | 'closed';
  merged: boolean;
  author: string;
  headSha: string;
  timeline: unknown[];
  reviews: unknown[];
}

export interface GithubStandIn extends StandIn {
  token: string;
  /** `owner/repo#n` → PR. */
  prs: Map<string, GhPr>;
  /** `org/slug` → login → membership state. */
  teams: Map<string, Map<string, 'active' | 'pending'>>;
  /** Caps per_page, to force pagination. */
  pageSize: number;
}

const user = (login: string) => ({ login, id: login.length, node_id: `U_${login}`, type: 'User', site_admin: false });

export function ghPull(pr: GhPr, owner: string, repo: string): unknown {
  return {
    url: `https://api.github.com/repos/${owner}/${repo}/pulls/${pr.number}`,
    id: 1000 + pr.number,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: `PR ${pr.number}`,
    user: user(pr.author),
    body: null,
    labels: [],
    created_at: '2025-01-01T00:00:00Z',
    merged_at: pr.merged ? '2025-01-02T00:00:00Z' : null,
    merge_commit_sha: pr.merged ? 'f'.repeat(40) : null,
    head: { label: `${owner}:feature`, ref: 'feature', sha: pr.headSha, user: user(owner) },
    base: { label: `${owner}:main`, ref: 'main', sha: 'b'.repeat(40), user: user(owner) },
    draft: false,
    merged: pr.merged,
    mergeable: null,
    comments: 0,
    commits: 1,
  };
}

export function ghLabeled(actor: string, label: string, at: number, removed = false): unknown {
  return {
    id: at, node_id: `LE_${at}`, url: `https://api.github.com/repos/o/r/issues/events/${at}`,
    actor: user(actor), event: removed ? 'unlabeled' : 'labeled', commit_id: null, commit_url: null,
    created_at: iso(at), label: { name: label, color: '0e8a16' }, performed_via_github_app: null,
  };
}

export function ghCommitted(sha: string, committedAt: number): unknown {
  const person = { name: 'Dev', email: 'dev@example.com', date: iso(committedAt) };
  return {
    sha, node_id: `C_${sha}`, url: `https://api.github.com/repos/o/r/git/commits/${sha}`,
    html_url: `https://github.com/o/r/commit/${sha}`, author: person, committer: person,
    tree: { sha: 't'.repeat(40), url: '' }, message: 'change', parents: [],
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null }, event: 'committed',
  };
}

export function ghForcePushed(actor: string, at: number): unknown {
  return { id: at, node_id: `FP_${at}`, url: '', actor: user(actor), event: 'head_ref_force_pushed', commit_id: null, commit_url: null, created_at: iso(at), performed_via_github_app: null };
}

/** A `reviewed` timeline item (lower-case state): present on real timelines, ignored by oresi. */
export function ghReviewedItem(login: string, at: number): unknown {
  return { id: at, node_id: `R_${at}`, user: user(login), body: '', state: 'approved', submitted_at: iso(at), commit_id: 'x'.repeat(40), event: 'reviewed', author_association: 'MEMBER' };
}

export function ghReview(login: string, state: string, at: number, commitId: string): unknown {
  return {
    id: at, node_id: `PRR_${at}`, user: user(login), body: '', state, html_url: '', pull_request_url: '',
    author_association: 'MEMBER', submitted_at: state === 'PENDING' ? undefined : iso(at), commit_id: commitId,
  };
}

export async function startGithubStandIn(token = 'gh-test-token'): Promise<GithubStandIn> {
  const prs = new Map<string, GhPr>();
  const teams = new Map<string, Map<string, 'active' | 'pending'>>();
  const cfg = { pageSize: 100 };
  let base = '';
  const paged = (url: URL, all: readonly unknown[]): Reply => {
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), cfg.pageSize);
    const page = Number(url.searchParams.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const link = (p: number) => {
      const u = new URL(url.pathname + url.search, base);
      u.searchParams.set('page', String(p));
      return u.toString();
    };
    const rels: string[] = [];
    if (page < last) rels.push(`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
    if (page > 1) rels.push(`<${link(1)}>; rel="first"`, `<${link(page - 1)}>; rel="prev"`);
    return { status: 200, body: pageOf(all, page, perPage), headers: rels.length > 0 ? { link: rels.join(', ') } : {} };
  };
  const standIn = await startStandIn((url, req) => {
    if (req.headers.authorization !== `Bearer ${token}`) return { status: 401, body: { message: 'Bad credentials' } };
    const p = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (p[0] === 'repos' && p.length >= 5) {
      const pr = prs.get(`${p[1]}/${p[2]}#${p[4]}`);
      if (!pr) return notFound();
      if (p[3] === 'pulls' && p.length === 5) return { status: 200, body: ghPull(pr, p[1] ?? '', p[2] ?? '') };
      if (p[3] === 'issues' && p[5] === 'timeline') return paged(url, pr.timeline);
      if (p[3] === 'pulls' && p[5] === 'reviews') return paged(url, pr.reviews);
    }
    if (p[0] === 'orgs' && p[2] === 'teams' && p[4] === 'memberships' && p.length === 6) {
      const state = teams.get(`${p[1]}/${p[3]}`)?.get(p[5] ?? '');
      return state ? { status: 200, body: { url: '', role: 'member', state } } : notFound();
    }
    return notFound();
  });
  base = standIn.url;
  const self = Object.assign(standIn, { token, prs, teams, pageSize: 100 });
  Object.defineProperty(self, 'pageSize', { get: () => cfg.pageSize, set: (v: number) => { cfg.pageSize = v; } });
  return self;
}
