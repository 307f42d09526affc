import type { Severity } from './drift-types.js';

export interface ImageRef {
  /** Registry and path, without tag or digest: `127.0.0.1:5000/oresi/busybox`. */
  repository: string;
  tag: string | null;
  digest: string | null;
}

/**
 * Splits `[registry[:port]/]path[:tag][@digest]`. The tag colon is the last one after the last
 * slash, so a registry port (`host:5000/x`) is never read as a tag.
 */
export function parseImageRef(ref: string): ImageRef {
  const at = ref.indexOf('@');
  const digest = at >= 0 ? ref.slice(at + 1) : null;
  const named = at >= 0 ? ref.slice(0, at) : ref;
  const slash = named.lastIndexOf('/');
  const colon = named.lastIndexOf(':');
  if (colon > slash) return { repository: named.slice(0, colon), tag: named.slice(colon + 1), digest };
  return { repository: named, tag: null, digest };
}

/** `busybox` and `busybox:latest` name the same image; compare refs in this form. */
export function normalizeImageRef(ref: string): string {
  const r = parseImageRef(ref);
  const tagged = `${r.repository}:${r.tag ?? 'latest'}`;
  return r.digest ? `${r.tag ? tagged : r.repository}@${r.digest}` : tagged;
}

/** Tags that name a moving target by convention, not a release. */
const FLOATING_WORDS = new Set([
  'stable', 'edge', 'nightly', 'main', 'master', 'dev', 'develop', 'beta', 'alpha', 'rc',
  'release', 'lts', 'current', 'mainline', 'alpine', 'slim', 'next', 'testing', 'unstable',
]);

export interface PinVerdict {
  severity: Severity;
  reason: string;
}

/**
 * How well a ref pins what runs: null when pinned well enough. `latest` or no tag is an error
 * (any pull can change everything); a floating major/minor (`:1`, `:1.2-alpine`) or a channel
 * word (`:stable`) is a warning; an exact version without a digest is info, and only on request.
 */
export function judgeImagePin(ref: string, requireDigests = false): PinVerdict | null {
  const r = parseImageRef(ref);
  if (r.digest) return null;
  if (r.tag === null) return { severity: 'error', reason: 'has no tag, so it means :latest' };
  if (r.tag === 'latest') return { severity: 'error', reason: 'uses :latest' };
  if (isFloatingTag(r.tag)) return { severity: 'warning', reason: `uses the floating tag :${r.tag}` };
  if (requireDigests) return { severity: 'info', reason: `is not pinned by digest (:${r.tag} can be re-pushed)` };
  return null;
}

/** `1`, `v2`, `1.2`, `3-alpine`, `1.2-slim`, `stable`: versions short of a patch, or channels. */
export function isFloatingTag(tag: string): boolean {
  const lower = tag.toLowerCase();
  if (FLOATING_WORDS.has(lower)) return true;
  const m = /^v?(\d+(?:\.\d+)*)(?:[-_](.+))?$/.exec(lower);
  if (!m) return false;
  const parts = (m[1] ?? '').split('.');
  // Calendar versions (2024.05.01, 20240501) pin a release; majors below 1000 with < 3 parts float.
  const major = Number(parts[0]);
  return parts.length < 3 && major < 1000;
}
