import type { PrEvidence } from '../policy/approval-pr.js';

/** What a provider adapter (GitHub, Gitea) gives the verifier. Failures are reasons, never throws. */
export type EvidenceResult = { ok: true; evidence: PrEvidence } | { ok: false; reason: string };
export type MembershipResult = { ok: true; member: boolean } | { ok: false; reason: string };

export interface PrSource {
  loadEvidence(repo: string, number: number): Promise<EvidenceResult>;
  /** `team` is `org/team-slug` (GitHub) or `org/team-name` (Gitea). */
  isTeamMember(team: string, login: string): Promise<MembershipResult>;
}

/** Stands in for an account that was deleted; a login can never look like this, so it never matches an approver. */
export const GHOST = '(deleted user)';

/** Joins an API root and path segments, escaping each segment (they come from config and PR refs). */
export function apiPath(apiUrl: string, ...segments: (string | number)[]): string {
  const root = apiUrl.replace(/\/+$/, '');
  return `${root}/${segments.map((s) => encodeURIComponent(String(s))).join('/')}`;
}

/** Parses an ISO-8601 timestamp to milliseconds; null when it is not one. */
export function toMillis(value: string | null | undefined): number | null {
  if (typeof value !== 'string' || value === '') return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}
