import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An Uptime Kuma stand-in: `GET /metrics` answers Prometheus text the way Kuma's prom-client
 * renders it (HELP/TYPE lines, every label, `null` for unset ones), behind basic auth with an
 * empty user name and the API key as password, as Kuma checks API keys.
 */
export interface KumaMonitor {
  name: string;
  /** 0 down, 1 up, 2 pending, 3 maintenance */
  status: 0 | 1 | 2 | 3;
  url?: string;
}

export interface KumaStandIn {
  url: string;
  monitors: KumaMonitor[];
  /** Authorization headers seen, in order. */
  authorizations: Array<string | undefined>;
  close(): Promise<void>;
}

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function renderKumaMetrics(monitors: readonly KumaMonitor[]): string {
  const labels = (m: KumaMonitor, i: number) =>
    `monitor_id="${i + 1}",monitor_name="${escapeLabel(m.name)}",monitor_type="http",monitor_url="${escapeLabel(m.url ?? 'https://example.invalid/')}",monitor_hostname="null",monitor_port="null"`;
  return [
    '# HELP monitor_response_time Monitor Response Time (ms)',
    '# TYPE monitor_response_time gauge',
    ...monitors.map((m, i) => `monitor_response_time{${labels(m, i)}} 42`),
    '# HELP monitor_status Monitor Status (1 = UP, 0= DOWN, 2= PENDING, 3= MAINTENANCE)',
    '# TYPE monitor_status gauge',
    ...monitors.map((m, i) => `monitor_status{${labels(m, i)}} ${m.status}`),
    '# HELP process_cpu_user_seconds_total Total user CPU time spent in seconds.',
    '# TYPE process_cpu_user_seconds_total counter',
    'process_cpu_user_seconds_total 1.5',
    '',
  ].join('\n');
}

export async function startKumaStandIn(opts: { apiKey: string; monitors: KumaMonitor[] }): Promise<KumaStandIn> {
  const authorizations: Array<string | undefined> = [];
  const state = { monitors: opts.monitors };
  const expected = `Basic ${Buffer.from(`:${opts.apiKey}`).toString('base64')}`;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    authorizations.push(req.headers.authorization);
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="Uptime Kuma"' }).end('Unauthorized');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(renderKumaMetrics(state.monitors));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get monitors() { return state.monitors; },
    set monitors(m: KumaMonitor[]) { state.monitors = m; },
    authorizations,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
