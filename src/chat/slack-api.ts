import type { Logger } from '../model.js';
import type { SlackMessage } from './slack-render.js';

export interface SlackResponder {
  /** True when replies may go to this response_url (https, an allowed origin). */
  allowed(responseUrl: string): boolean;
  post(responseUrl: string, message: SlackMessage): Promise<boolean>;
}

/** response_url POSTs: no token needed (the URL is the credential), so it is never logged. */
export function createSlackResponder(deps: { fetch: typeof fetch; logger: Logger; origins: readonly string[]; timeoutMs?: number }): SlackResponder {
  const origins = new Set(deps.origins.map((o) => new URL(o).origin));
  const allowed = (url: string) => {
    try {
      return origins.has(new URL(url).origin);
    } catch {
      return false;
    }
  };
  return {
    allowed,
    async post(url, message) {
      if (!allowed(url)) return false;
      try {
        const res = await deps.fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(message),
          signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (!res.ok) deps.logger.warn({ status: res.status }, 'slack response_url refused the reply');
        return res.ok;
      } catch (err) {
        deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'slack response_url failed');
        return false;
      }
    },
  };
}
