import { createHash } from 'node:crypto';
import type { ServicePoint } from './rollback-point.js';

export const ROLLBACK_REPOSITORY_PREFIX = 'oresi-rollback';
/** Docker's rule for one path component of a repository name. */
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const MAX_COMPONENT = 120;

/**
 * `oresi-rollback/<stack>-<service>:<short id>`. Stack and compose service names allow
 * characters a repository path does not (`a..b`, a trailing `-`), so the component is cleaned,
 * and a short hash of the original keeps two cleaned names from landing on one tag.
 */
export function buildRollbackTag(stack: string, service: string, rolloutId: string): string {
  return `${ROLLBACK_REPOSITORY_PREFIX}/${toComponent(`${stack}-${service}`)}:${shortId(rolloutId)}`;
}

export function shortId(rolloutId: string): string {
  const compact = rolloutId.replace(/[^a-z0-9]/g, '');
  return compact.slice(0, 12) || 'x';
}

function toComponent(raw: string): string {
  const lower = raw.toLowerCase();
  if (lower.length <= MAX_COMPONENT && COMPONENT.test(lower) && lower === raw) return lower;
  const cleaned = lower
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_COMPONENT - 9)
    .replace(/-+$/, '');
  const hash = createHash('sha256').update(raw).digest('hex').slice(0, 8);
  return cleaned === '' ? hash : `${cleaned}-${hash}`;
}

/**
 * The repository part of a reference, in the short form the engine uses in RepoDigests
 * (`nginx`, not `docker.io/library/nginx`), so a declared ref and a digest can be compared.
 */
export function repositoryOf(ref: string): string {
  let name = ref.split('@')[0] ?? '';
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > slash) name = name.slice(0, colon);
  name = name.replace(/^(?:docker\.io|index\.docker\.io)\//, '');
  return name.replace(/^library\/(?=[^/]+$)/, '');
}

/**
 * What the rollback override pins a service to: the recorded image by digest when the engine
 * knows one for the same repository (content-addressed, and what an operator recognises), else
 * the local rollback tag, which exists for every recorded image.
 */
export function choosePin(sp: Pick<ServicePoint, 'imageRef' | 'repoDigests' | 'rollbackTag'>): string {
  const repo = repositoryOf(sp.imageRef);
  const digest = sp.repoDigests.find((d) => d.includes('@sha256:') && repositoryOf(d) === repo);
  return digest ?? sp.rollbackTag;
}
