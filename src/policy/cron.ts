/**
 * Five-field cron expressions (minute hour day-of-month month day-of-week) for change windows
 * and schedules: `*`, numbers, lists `1,5`, ranges `1-5`, steps `*\/15` and `10-50/10`.
 * Day-of-week 0 and 7 are Sunday. As in cron, when both day fields are restricted a day
 * matching either counts.
 */
export interface CronExpr {
  source: string;
  minute: ReadonlySet<number>;
  hour: ReadonlySet<number>;
  dom: ReadonlySet<number>;
  month: ReadonlySet<number>;
  dow: ReadonlySet<number>;
  domAny: boolean;
  dowAny: boolean;
}

export type CronParse = { ok: true; expr: CronExpr } | { ok: false; reason: string };

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

function parseField(text: string, f: (typeof FIELDS)[number]): Set<number> | string {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|(\d{1,2})(?:-(\d{1,2}))?)(?:\/(\d{1,2}))?$/.exec(part);
    if (!m) return `${f.name} "${part}" is not *, a number, a range or a step`;
    const lo = m[1] === '*' ? f.min : Number(m[2]);
    const hi = m[1] === '*' ? f.max : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? f.max : lo;
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (lo < f.min || hi > f.max || lo > hi) return `${f.name} "${part}" is outside ${f.min}-${f.max}`;
    if (step < 1) return `${f.name} step must be at least 1`;
    for (let v = lo; v <= hi; v += step) out.add(f.name === 'day of week' && v === 7 ? 0 : v);
  }
  return out;
}

export function parseCron(source: string): CronParse {
  const parts = source.trim().split(/\s+/);
  if (parts.length !== 5) return { ok: false, reason: `"${source}" must have 5 fields (minute hour day-of-month month day-of-week)` };
  const sets: Set<number>[] = [];
  for (let i = 0; i < 5; i++) {
    const r = parseField(parts[i]!, FIELDS[i]!);
    if (typeof r === 'string') return { ok: false, reason: `"${source}": ${r}` };
    sets.push(r);
  }
  const [minute, hour, dom, month, dow] = sets as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  return { ok: true, expr: { source, minute, hour, dom, month, dow, domAny: parts[2] === '*', dowAny: parts[4] === '*' } };
}

/** Wall-clock fields of an instant in a time zone (Intl does the zone arithmetic). */
export interface WallClock {
  minute: number;
  hour: number;
  day: number;
  month: number;
  weekday: number;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

export function wallClock(epochMs: number, timeZone: string): WallClock {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', weekday: 'short', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric',
  }).formatToParts(new Date(epochMs));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { minute: Number(get('minute')), hour: Number(get('hour')), day: Number(get('day')), month: Number(get('month')), weekday: WEEKDAYS[get('weekday')] ?? 0 };
}

export function cronMatches(expr: CronExpr, t: WallClock): boolean {
  if (!expr.minute.has(t.minute) || !expr.hour.has(t.hour) || !expr.month.has(t.month)) return false;
  const domOk = expr.dom.has(t.day);
  const dowOk = expr.dow.has(t.weekday);
  if (expr.domAny || expr.dowAny) return domOk && dowOk;
  return domOk || dowOk;
}
