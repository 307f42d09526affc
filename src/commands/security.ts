import type { SecurityMonitor } from '../model.js';
import { alertFromSecurity } from '../notify/events.js';
import { createWindowCounter } from './window-counter.js';
import { createWindowThrottle } from './window-throttle.js';
import type { AppContext } from './types.js';

/** Failed authentications from one address within a minute that make a "burst" alert. */
export const BURST_THRESHOLD = 10;
const BURST_WINDOW_MS = 60_000;
const AUDIT_WINDOW_MS = 10_000;

/**
 * The one place every edge reports a refused credential (API key, chat signature, webhook
 * signature): a flood from one address writes one audit row per window with the count it
 * suppressed, and crossing the burst threshold raises one security alert per minute.
 */
export function createSecurityMonitor(ctx: Pick<AppContext, 'audit' | 'alerts' | 'sys' | 'logger'>): SecurityMonitor {
  const auditThrottle = createWindowThrottle(AUDIT_WINDOW_MS);
  const alertThrottle = createWindowThrottle(BURST_WINDOW_MS);
  const bursts = createWindowCounter(BURST_WINDOW_MS);

  return {
    async authFailure(f) {
      const now = ctx.sys.monotonic();
      const take = auditThrottle.take(`${f.via}|${f.ip}`, now);
      if (take.allowed) {
        await ctx.audit.append({
          type: 'auth.failed',
          ip: f.ip,
          data: { via: f.via, reason: f.reason, requestId: f.requestId ?? null, suppressedBefore: take.suppressed, ...f.data },
        }).catch((err: unknown) => ctx.logger.warn({ err: String(err) }, 'audit write failed for a refused credential'));
      }
      const n = bursts.hit(f.ip, now).count;
      if (n < BURST_THRESHOLD || !alertThrottle.take(f.ip, now).allowed) return;
      const text = `${n} failed authentications (${f.via}: ${f.reason}) from ${f.ip} within a minute.`;
      ctx.logger.warn({ ip: f.ip, via: f.via, count: n }, 'burst of failed authentications');
      await ctx.audit.append({ type: 'security.event', ip: f.ip, data: { event: 'auth_failure_burst', via: f.via, count: n } }).catch(() => undefined);
      ctx.alerts.notify(alertFromSecurity({
        key: `auth_burst:${f.ip}`, severity: 'warning', at: new Date(ctx.sys.now()).toISOString(),
        title: `Burst of failed authentications from ${f.ip}`, text,
      }));
    },
  };
}
