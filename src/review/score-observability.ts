import type { ReviewPolicyFile } from './review-policy-schema.js';
import { changeText, serviceLabel, touchedServices } from './service-changes.js';
import type { CategoryEvidence, Issue, ReviewInput } from './types.js';

export function scoreObservability(input: ReviewInput, policy: ReviewPolicyFile): CategoryEvidence {
  const issues: Issue[] = [];
  const notes: string[] = [];
  const issue = (i: Omit<Issue, 'area'>) => issues.push({ area: 'observability', ...i });
  const text = changeText(input).toLowerCase();
  const words = policy.review.monitoringWords.map((w) => w.toLowerCase());
  const mentionsMonitoring = words.some((w) => text.includes(w));

  const services = touchedServices(input);
  for (const s of services) {
    const who = serviceLabel(s);
    const hc = s.head.healthcheck;
    if (s.kind === 'new') {
      if (hc !== 'present') {
        issue({ severity: 'med', cap: 2, msg: `new service ${who} has ${hc === 'disabled' ? 'its healthcheck disabled' : 'no healthcheck'}, so a broken rollout looks healthy`, action: `add a healthcheck to ${who}` });
      }
      if (s.head.restart === null || s.head.restart === 'no') {
        issue({ severity: 'low', penalty: 1, msg: `new service ${who} has no restart policy; it stays down after a crash or reboot`, action: `set restart: unless-stopped on ${who}` });
      }
      const labelled = Object.entries(s.head.labels).some(([k, v]) => words.some((w) => k.toLowerCase().includes(w) || v.toLowerCase().includes(w)));
      if (!labelled && !mentionsMonitoring) {
        issue({ severity: 'low', penalty: 1, msg: `nothing says how new service ${who} is monitored (no Kuma label, alert or monitor mention)`, action: `add an Uptime Kuma monitor (or alert) for ${who} and say so in the PR` });
      }
      if (hc === 'present' && s.head.restart !== null && s.head.restart !== 'no') notes.push(`new service ${who} has a healthcheck and a restart policy`);
      continue;
    }
    const had = s.base?.healthcheck ?? 'none';
    if (had === 'present' && hc !== 'present') {
      issue({ severity: 'med', penalty: 2, msg: `${who} loses its healthcheck in this change`, action: `keep the healthcheck on ${who}` });
    } else if (hc !== 'present') {
      issue({ severity: 'low', penalty: 1, msg: `${who} has no healthcheck (a HEALTHCHECK baked into the image is not visible here)` });
    } else {
      notes.push(`${who} keeps its healthcheck`);
    }
  }
  if (services.length === 0) notes.push('no service added or changed');
  return { issues, notes };
}
