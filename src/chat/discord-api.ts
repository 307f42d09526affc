import type { Logger } from '../model.js';

export interface DiscordMessage {
  content: string;
  components?: unknown[];
  flags?: number;
}

export interface DiscordFollowUp {
  /** Edits the interaction's original response (the deferred reply, or the message a button sat on). */
  editOriginal(applicationId: string, token: string, message: DiscordMessage): Promise<boolean>;
  /** Sends a new follow-up message (e.g. an ephemeral notice to whoever pressed a button). */
  send(applicationId: string, token: string, message: DiscordMessage): Promise<boolean>;
}

export interface DiscordApiDeps {
  fetch: typeof fetch;
  apiUrl: string;
  logger: Logger;
  timeoutMs?: number;
}

/**
 * Interaction webhooks need no bot token: the interaction token in the path is the credential,
 * so the URL is never logged. Output is never allowed to ping anyone (allowed_mentions).
 */
export function createDiscordFollowUp(deps: DiscordApiDeps): DiscordFollowUp {
  const base = deps.apiUrl.replace(/\/+$/, '');
  const call = async (method: 'PATCH' | 'POST', path: string, message: DiscordMessage, what: string): Promise<boolean> => {
    try {
      const res = await deps.fetch(`${base}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...message, allowed_mentions: { parse: [] } }),
        signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) deps.logger.warn({ status: res.status, what }, 'discord follow-up refused');
      return res.ok;
    } catch (err) {
      deps.logger.warn({ err: err instanceof Error ? err.message : String(err), what }, 'discord follow-up failed');
      return false;
    }
  };
  const hook = (appId: string, token: string) => `/webhooks/${encodeURIComponent(appId)}/${encodeURIComponent(token)}`;
  return {
    editOriginal: (appId, token, message) => call('PATCH', `${hook(appId, token)}/messages/@original`, message, 'edit original'),
    send: (appId, token, message) => call('POST', hook(appId, token), message, 'follow-up'),
  };
}
