/**
 * Counts Uptime Kuma monitors by status from its Prometheus text (`GET /metrics`). Kuma's gauge
 * is `monitor_status` — "1 = UP, 0 = DOWN, 2 = PENDING, 3 = MAINTENANCE" (server/prometheus.js)
 * — mapped to the original script's traffic lights: green = up, red = down, amber = pending or
 * maintenance. Pure: text in, counts out.
 */
export interface KumaCounts {
  green: number;
  amber: number;
  red: number;
}

const METRIC = 'monitor_status';

export function countKumaStatuses(text: string): KumaCounts {
  const counts: KumaCounts = { green: 0, amber: 0, red: 0 };
  for (const line of text.split('\n')) {
    const value = sampleValue(line.trim(), METRIC);
    if (value === 1) counts.green += 1;
    else if (value === 0) counts.red += 1;
    else if (value === 2 || value === 3) counts.amber += 1;
  }
  return counts;
}

/**
 * The value of one exposition-format sample of `metric`, or null for anything else (comments,
 * other metrics, malformed lines). Label values may hold `}`, `,`, `"` and `\` (escaped), so the
 * label block is walked, not split.
 */
export function sampleValue(line: string, metric: string): number | null {
  if (!line.startsWith(metric)) return null;
  let i = metric.length;
  if (line[i] === '{') {
    const end = endOfLabels(line, i + 1);
    if (end < 0) return null;
    i = end + 1;
  }
  if (line[i] !== ' ' && line[i] !== '\t') return null;
  // After the value an optional timestamp may follow.
  const token = line.slice(i).trim().split(/\s+/)[0] ?? '';
  if (!/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(token)) return null;
  return Number(token);
}

/** Index of the `}` closing a label block that starts at `from`, or -1. */
function endOfLabels(line: string, from: number): number {
  let inQuotes = false;
  for (let i = from; i < line.length; i++) {
    const c = line[i];
    if (inQuotes) {
      if (c === '\\') i += 1;
      else if (c === '"') inQuotes = false;
    } else if (c === '"') {
      inQuotes = true;
    } else if (c === '}') {
      return i;
    }
  }
  return -1;
}
