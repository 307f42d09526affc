import { evaluatePrGate, findEffectiveLabel, type PrApprovalRecord, type PrEvidence } from '../policy/approval-pr.js';
import { parsePrRef } from '../policy/approval-ref.js';
import type { PrApprovalsConfig, PrGate } from '../config/approval-schema.js';
import { createGiteaSource } from './gitea.js';
import { createGithubSource } from './github.js';
import type { HttpDeps } from './http-json.js';
import type { PrSource } from './types.js';

/**
 * Verifies a PR gate against the live PR on GitHub or Gitea. Fails closed: a missing token,
 * an unknown provider, an unreachable or slow API, a body of the wrong shape, a reference
 * that is ambiguous or points elsewhere — each is `{ ok: false, reason }`. It never throws.
 */

export interface PrVerifierDeps {
  /** Sys.fetch. */
  fetch: typeof fetch;
  /** Sys.now (wall clock, ms): cache expiry and the `checkedAt` stamp. */
  now: () => number;
  config: PrApprovalsConfig;
  /** Sys.env: where the token named by `tokenEnv` is read. */
  env: Readonly<Record<string, string | undefined>>;
}

export interface PrVerifiedEvidence extends PrApprovalRecord {
  provider: PrGate['provider'];
  repo: string;
  checkedAt: string;
  /** True when this answer came from the cache (it is at most cacheSeconds old). */
  cached: boolean;
}

export type PrVerification = { ok: true; evidence: PrVerifiedEvidence } | { ok: false; reason: string };

export interface PrVerifier {
  verify(gate: PrGate, prRef: string): Promise<PrVerification>;
}

const MAX_CACHE_ENTRIES = 500;
const PROVIDER_NAME = { github: 'GitHub', gitea: 'Gitea' } as const;

export function createPrVerifier(deps: PrVerifierDeps): PrVerifier {
  // Only successes are cached: a refusal must clear as soon as someone fixes the PR.
  const cache = new Map<string, { expires: number; evidence: PrVerifiedEvidence }>();

  async function verifyUncached(gate: PrGate, prRef: string): Promise<PrVerification> {
    const provider = deps.config[gate.provider];
    const name = PROVIDER_NAME[gate.provider];
    if (!provider) return { ok: false, reason: `approval needs ${name}, and approvals.${gate.provider} is not configured` };
    const repo = gate.repo ?? provider.repo;
    if (repo === undefined) {
      return { ok: false, reason: `the PR gate names no repo and approvals.${gate.provider}.repo is not set; a PR from an arbitrary repository cannot approve a run` };
    }
    const parsed = parsePrRef(prRef, { provider: gate.provider, repo, hosts: webHosts(gate.provider, provider.apiUrl) });
    if (!parsed.ok) return parsed;
    const { number } = parsed.ref;
    const label = `${repo}#${number}`;

    const key = JSON.stringify([gate, repo.toLowerCase(), number]);
    const hit = cache.get(key);
    if (hit && hit.expires > deps.now()) return { ok: true, evidence: { ...hit.evidence, cached: true } };

    const token = deps.env[provider.tokenEnv];
    if (token === undefined || token.trim() === '') {
      return { ok: false, reason: `cannot verify ${label}: no ${name} token (set the ${provider.tokenEnv} environment variable)` };
    }
    const source = makeSource(gate.provider, provider.apiUrl, token.trim());
    const loaded = await source.loadEvidence(repo, number);
    if (!loaded.ok) return { ok: false, reason: `cannot verify ${label} on ${name}: ${loaded.reason}` };
    const teams = await resolveTeams(source, gate, loaded.evidence);
    if (!teams.ok) return { ok: false, reason: `cannot verify ${label} on ${name}: ${teams.reason}` };

    const decision = evaluatePrGate(gate, { ...loaded.evidence, teamMembers: teams.members });
    if (!decision.ok) return { ok: false, reason: `${label}: ${decision.reason}` };
    const evidence: PrVerifiedEvidence = {
      ...decision.evidence,
      provider: gate.provider,
      repo,
      checkedAt: new Date(deps.now()).toISOString(),
      cached: false,
    };
    remember(key, evidence);
    return { ok: true, evidence };
  }

  function makeSource(provider: PrGate['provider'], apiUrl: string, token: string): PrSource {
    const headers: Record<string, string> = { 'User-Agent': 'oresi', Accept: 'application/json' };
    if (provider === 'github') {
      headers['Authorization'] = `Bearer ${token}`;
      headers['Accept'] = 'application/vnd.github+json';
      headers['X-GitHub-Api-Version'] = '2022-11-28';
    } else {
      headers['Authorization'] = `token ${token}`;
    }
    const http: HttpDeps = { fetch: deps.fetch, timeoutMs: deps.config.timeoutMs, headers };
    return provider === 'github' ? createGithubSource(http, apiUrl) : createGiteaSource(http, apiUrl);
  }

  function remember(key: string, evidence: PrVerifiedEvidence): void {
    if (deps.config.cacheSeconds <= 0) return;
    const now = deps.now();
    for (const [k, v] of cache) if (v.expires <= now) cache.delete(k);
    if (cache.size >= MAX_CACHE_ENTRIES) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    cache.set(key, { expires: now + deps.config.cacheSeconds * 1000, evidence });
  }

  return {
    async verify(gate, prRef) {
      try {
        return await verifyUncached(gate, prRef);
      } catch (err) {
        // A bug here must still refuse, not approve and not crash the request.
        return { ok: false, reason: `PR verification failed unexpectedly: ${err instanceof Error ? err.message : String(err)}` };
      }
    },
  };
}

/**
 * Team membership is only looked up for the one login that matters (whoever applied the
 * label that is currently on the PR), and only when that login is not already a listed user.
 */
async function resolveTeams(
  source: PrSource,
  gate: PrGate,
  evidence: PrEvidence,
): Promise<{ ok: true; members: Record<string, string[]> } | { ok: false; reason: string }> {
  const members: Record<string, string[]> = {};
  const added = findEffectiveLabel(evidence.labelEvents, gate.label);
  if (!added) return { ok: true, members };
  const actor = added.actor.toLowerCase();
  if (gate.labelBy.users.some((u) => u.toLowerCase() === actor)) return { ok: true, members };
  for (const team of gate.labelBy.teams) {
    const res = await source.isTeamMember(team, added.actor);
    if (!res.ok) return res;
    if (res.member) {
      members[team] = [added.actor];
      break;
    }
  }
  return { ok: true, members };
}

/** Hosts whose PR URLs name PRs on the configured API. */
function webHosts(provider: PrGate['provider'], apiUrl: string): string[] {
  const host = new URL(apiUrl).host.toLowerCase();
  if (provider === 'github' && host === 'api.github.com') return ['github.com'];
  return [host];
}
