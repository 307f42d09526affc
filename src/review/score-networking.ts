import { serviceLabel, touchedServices } from './service-changes.js';
import type { CategoryEvidence, Issue, ReviewInput, ServiceFacts } from './types.js';

const ALL_INTERFACES = new Set(['0.0.0.0', '::', '*']);

export function scoreNetworking(input: ReviewInput): CategoryEvidence {
  const issues: Issue[] = [];
  const notes: string[] = [];
  const issue = (i: Omit<Issue, 'area'>) => issues.push({ area: 'networking', ...i });

  let newPorts = 0;
  for (const s of touchedServices(input)) {
    const who = serviceLabel(s);
    const before = new Set((s.base?.ports ?? []).map((p) => p.raw));
    for (const p of s.head.ports) {
      if (before.has(p.raw)) continue;
      newPorts += 1;
      if (p.hostIp === null || ALL_INTERFACES.has(p.hostIp)) {
        issue({
          severity: 'med', penalty: 2,
          msg: `${who} publishes ${p.raw} on every interface${p.hostIp === null ? ' (no host address given)' : ''}`,
          action: `bind ${who}'s port to 127.0.0.1 (or the LAN address) and reach it through the reverse proxy`,
        });
      } else {
        notes.push(`${who} publishes ${p.raw} on ${p.hostIp} only`);
      }
    }
    if (s.head.networkMode === 'host' && s.base?.networkMode !== 'host') {
      issue({ severity: 'med', penalty: 2, msg: `${who} moves to network_mode: host (every port it opens is reachable)`, action: `explain why ${who} needs the host network, or publish only the ports it needs` });
    }
    const tls = judgeProxyTls(s.head);
    if (tls === 'plain') issue({ severity: 'low', penalty: 1, msg: `${who} has reverse-proxy labels without TLS (no tls=true, certresolver or websecure entrypoint)` });
    else if (tls === 'tls') notes.push(`${who} is served through the reverse proxy with TLS`);
  }
  if (newPorts === 0) notes.push('no newly published port');
  return { issues, notes };
}

/** From labels: `none` (no proxy labels), `tls` or `plain`. Traefik and caddy-docker-proxy styles. */
function judgeProxyTls(s: ServiceFacts): 'none' | 'tls' | 'plain' {
  const entries = Object.entries(s.labels);
  const traefik = entries.filter(([k]) => k.startsWith('traefik.http.routers.'));
  const caddy = entries.filter(([k]) => k === 'caddy' || k.startsWith('caddy.') || k.startsWith('caddy_'));
  if (traefik.length === 0 && caddy.length === 0) return 'none';
  // caddy-docker-proxy serves HTTPS automatically unless the site address says http://.
  if (caddy.length > 0 && !caddy.some(([k, v]) => (k === 'caddy' || /^caddy_\d+$/.test(k)) && v.startsWith('http://'))) return 'tls';
  const secure = traefik.some(([k, v]) => (/\.tls$/.test(k) && v === 'true') || /\.tls\.certresolver$/.test(k) || (/\.entrypoints$/.test(k) && /websecure|https/.test(v)));
  return secure ? 'tls' : 'plain';
}
