import type { ProviderConfig } from '../config/webhook-schema.js';

/** The fields of a push payload oresi acts on; GitHub and Gitea share this shape. */
export interface PushInfo {
  ref: string;
  repo: string;
  /** Commit the branch points to after the push (hex). */
  after: string;
  deleted: boolean;
}

export type Decision =
  | { act: true; push: PushInfo }
  | { act: false; reason: string; push?: PushInfo };

const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const ZERO = /^0+$/;
const DELIVERY_ID = /^[A-Za-z0-9_-]{1,100}$/;

export function isValidDeliveryId(value: unknown): value is string {
  return typeof value === 'string' && DELIVERY_ID.test(value);
}

/**
 * The body as JSON, from `application/json` or the form encoding both providers offer
 * (`payload=<json>`). Called only after the signature over these bytes was verified.
 */
export function parsePayload(body: Buffer, contentType: string | undefined): { ok: true; value: unknown } | { ok: false; error: string } {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  let text: string | null;
  if (type === 'application/x-www-form-urlencoded') {
    text = new URLSearchParams(body.toString('utf8')).get('payload');
    if (text === null) return { ok: false, error: 'form body without a payload field' };
  } else {
    text = body.toString('utf8');
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, error: 'the payload is not valid JSON' };
  }
}

export function readPush(payload: unknown): PushInfo | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const p = payload as Record<string, unknown>;
  const repo = (p.repository as Record<string, unknown> | null | undefined)?.full_name;
  if (typeof p.ref !== 'string' || typeof repo !== 'string' || typeof p.after !== 'string') return null;
  const after = p.after.toLowerCase();
  return { ref: p.ref.slice(0, 300), repo: repo.slice(0, 300), after: after.slice(0, 64), deleted: p.deleted === true || ZERO.test(after) };
}

/**
 * Only a push of a commit to the configured branch of the configured repository acts. Nothing
 * in the payload beyond those three fields is used: no commit message, no file list.
 */
export function decideDelivery(cfg: ProviderConfig, event: string, payload: unknown): Decision {
  if (event !== 'push') return { act: false, reason: `${JSON.stringify(event.slice(0, 40))} events are not acted on; only push` };
  const push = readPush(payload);
  if (!push) return { act: false, reason: 'not a push payload (ref, after, repository.full_name missing)' };
  // GitHub and Gitea treat owner/name case-insensitively.
  if (push.repo.toLowerCase() !== cfg.repo.toLowerCase()) return { act: false, reason: `push to ${push.repo}, not ${cfg.repo}`, push };
  if (push.ref !== `refs/heads/${cfg.branch}`) return { act: false, reason: `push to ${push.ref}, not refs/heads/${cfg.branch}`, push };
  if (push.deleted) return { act: false, reason: `${push.ref} was deleted`, push };
  if (!COMMIT.test(push.after)) return { act: false, reason: 'the pushed commit id is not a hex object id', push };
  return { act: true, push };
}
