import { REPO_PATTERN } from '../config/approval-schema.js';

/**
 * Parses the PR reference a requester supplies. The reference comes from outside (chat, API,
 * CLI), so anything not in one of three exact shapes is refused with a sentence saying which
 * shapes work. Pure: no network, and hosts are checked against a list the caller passes.
 */

export type Provider = 'github' | 'gitea';

export interface PrRef {
  /** As written by the requester (case kept for messages; compare with sameRepo). */
  repo: string;
  number: number;
}

export type PrRefResult = { ok: true; ref: PrRef } | { ok: false; reason: string };

export interface ParsePrRefOptions {
  provider: Provider;
  /** The repo the gate is bound to; `#123` uses it and other repos are refused. */
  repo?: string;
  /** Web hosts a PR URL may name (e.g. github.com, git.example). Empty: URLs are refused. */
  hosts: readonly string[];
}

const MAX_PR_NUMBER = 2_147_483_647;
const SHORT = /^([A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100})?#([0-9]{1,10})$/;

export function sameRepo(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export function parsePrRef(input: string, opts: ParsePrRefOptions): PrRefResult {
  const text = input.trim();
  const shapes = describeShapes(opts);
  if (text.length === 0 || text.length > 500) return { ok: false, reason: `PR reference is empty or too long; use ${shapes}` };

  const parsed = text.includes('://') ? parseUrl(text, opts) : parseShort(text, opts);
  if (!parsed.ok) return { ok: false, reason: `${parsed.reason}; use ${shapes}` };
  const { repo, number } = parsed.ref;
  if (opts.repo !== undefined && !sameRepo(repo, opts.repo)) {
    return { ok: false, reason: `PR ${repo}#${number} is not in ${opts.repo}, the repository this approval is bound to` };
  }
  return parsed;
}

function parseShort(text: string, opts: ParsePrRefOptions): PrRefResult {
  const m = SHORT.exec(text);
  if (!m) return { ok: false, reason: `"${clip(text)}" is not a PR reference` };
  const number = toNumber(m[2] ?? '');
  if (number === null) return { ok: false, reason: `PR number in "${clip(text)}" is out of range` };
  const repo = m[1] ?? opts.repo;
  if (repo === undefined) return { ok: false, reason: `"${clip(text)}" names no repository and no default repository is configured` };
  return { ok: true, ref: { repo, number } };
}

function parseUrl(text: string, opts: ParsePrRefOptions): PrRefResult {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: `"${clip(text)}" is not a valid URL` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: `PR URL must be http(s), got ${url.protocol}` };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'PR URL must not carry credentials' };
  const host = url.host.toLowerCase();
  if (!opts.hosts.some((h) => h.toLowerCase() === host)) {
    const allowed = opts.hosts.length > 0 ? opts.hosts.join(', ') : 'none configured';
    return { ok: false, reason: `PR URL host ${host} is not a ${opts.provider} host oresi checks (${allowed})` };
  }
  if (url.search !== '' || url.hash !== '') return { ok: false, reason: 'PR URL must not have a query or fragment' };
  // GitHub says /pull/N, Gitea /pulls/N; a trailing tab (/files, /commits) is tolerated.
  const kind = opts.provider === 'github' ? 'pull' : 'pulls';
  const parts = url.pathname.split('/').filter((p) => p !== '');
  const [owner, name, seg, num] = parts;
  const tail = parts.slice(4);
  const tabs = ['files', 'commits', 'checks'];
  if (owner === undefined || name === undefined || seg !== kind || num === undefined
    || tail.length > 1 || (tail[0] !== undefined && !tabs.includes(tail[0]))) {
    return { ok: false, reason: `PR URL path must be /owner/repo/${kind}/N` };
  }
  const repo = `${owner}/${name}`;
  if (!REPO_PATTERN.test(repo)) return { ok: false, reason: `"${clip(repo)}" is not an owner/repo name` };
  const number = /^[0-9]{1,10}$/.test(num) ? toNumber(num) : null;
  if (number === null) return { ok: false, reason: `"${clip(num)}" is not a PR number` };
  return { ok: true, ref: { repo, number } };
}

function toNumber(digits: string): number | null {
  const n = Number(digits);
  return Number.isSafeInteger(n) && n >= 1 && n <= MAX_PR_NUMBER ? n : null;
}

function describeShapes(opts: ParsePrRefOptions): string {
  const kind = opts.provider === 'github' ? 'pull' : 'pulls';
  const host = opts.hosts[0] ?? 'host';
  const short = opts.repo !== undefined ? `#123, ${opts.repo}#123` : 'owner/repo#123';
  return `${short} or https://${host}/owner/repo/${kind}/123`;
}

/** Echo at most a little of what was sent: it is caller input going back out. */
function clip(s: string): string {
  const flat = [...s].map((c) => (c.charCodeAt(0) < 0x20 || c === '\u007f' ? '?' : c)).join('');
  return flat.length > 60 ? `${flat.slice(0, 60)}…` : flat;
}
