/**
 * A small 5-field cron matcher (minute hour day-of-month month day-of-week), pure.
 * Supports `*`, numbers, lists `1,5`, ranges `1-5`, steps `*\/15` `1-30/5` `5/10`, month and
 * weekday names (`jan`, `mon`), weekday 7 as Sunday, and the macros @hourly @daily @weekly
 * @monthly @yearly. Day-of-month and day-of-week follow Vixie cron: when both are restricted,
 * a day matches if either does.
 *
 * Kept here until the lead decides on `croner`; the surface (parse once, then match fields) is
 * what a scheduler needs from either.
 */

export interface CronFields {
  minute: number;
  hour: number;
  /** 1-31 */
  day: number;
  /** 1-12 */
  month: number;
  /** 0-6, Sunday = 0 */
  weekday: number;
}

export interface CronSpec {
  source: string;
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  days: ReadonlySet<number>;
  months: ReadonlySet<number>;
  weekdays: ReadonlySet<number>;
  /** False when the field was `*` (or `*\/1`); drives the dom/dow OR rule. */
  daysRestricted: boolean;
  weekdaysRestricted: boolean;
}

export type CronParse = { ok: true; spec: CronSpec } | { ok: false; error: string };

interface FieldDef {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const FIELDS: readonly FieldDef[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES },
  // 7 is accepted as Sunday and folded to 0 after parsing.
  { name: 'day of week', min: 0, max: 7, names: DAY_NAMES },
];

const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MAX_EXPRESSION_LENGTH = 200;

export function parseCron(expression: string): CronParse {
  if (expression.length > MAX_EXPRESSION_LENGTH) return { ok: false, error: `longer than ${MAX_EXPRESSION_LENGTH} characters` };
  const trimmed = expression.trim().toLowerCase();
  // Own keys only: `__proto__` or `constructor` must not resolve to Object.prototype members.
  const expanded = Object.hasOwn(MACROS, trimmed) ? (MACROS[trimmed] as string) : trimmed;
  if (expanded.startsWith('@')) return { ok: false, error: `unknown macro ${JSON.stringify(trimmed.slice(0, 20))}` };
  const parts = expanded.split(/\s+/);
  if (parts.length !== 5) return { ok: false, error: `expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}` };
  const sets: Set<number>[] = [];
  const restricted: boolean[] = [];
  for (let i = 0; i < 5; i++) {
    const def = FIELDS[i] as FieldDef;
    const field = parseField(parts[i] as string, def);
    if (!field.ok) return { ok: false, error: `${def.name}: ${field.error}` };
    sets.push(field.values);
    restricted.push(!field.wildcard);
  }
  const weekdays = sets[4] as Set<number>;
  if (weekdays.delete(7)) weekdays.add(0);
  return {
    ok: true,
    spec: {
      source: expression.trim(),
      minutes: sets[0] as Set<number>,
      hours: sets[1] as Set<number>,
      days: sets[2] as Set<number>,
      months: sets[3] as Set<number>,
      weekdays,
      daysRestricted: restricted[2] as boolean,
      weekdaysRestricted: restricted[4] as boolean,
    },
  };
}

export function matchesCron(spec: CronSpec, t: CronFields): boolean {
  if (!spec.minutes.has(t.minute) || !spec.hours.has(t.hour) || !spec.months.has(t.month)) return false;
  const dom = spec.days.has(t.day);
  const dow = spec.weekdays.has(t.weekday);
  if (spec.daysRestricted && spec.weekdaysRestricted) return dom || dow;
  return dom && dow;
}

type FieldParse = { ok: true; values: Set<number>; wildcard: boolean } | { ok: false; error: string };

function parseField(text: string, def: FieldDef): FieldParse {
  const values = new Set<number>();
  let wildcard = false;
  for (const item of text.split(',')) {
    const r = parseItem(item, def);
    if (!r.ok) return r;
    for (const v of r.values) values.add(v);
    if (r.wildcard) wildcard = true;
  }
  return { ok: true, values, wildcard };
}

type ItemParse = { ok: true; values: number[]; wildcard: boolean } | { ok: false; error: string };

function parseItem(item: string, def: FieldDef): ItemParse {
  if (item === '') return { ok: false, error: 'empty list item' };
  const slash = item.split('/');
  if (slash.length > 2) return { ok: false, error: `${JSON.stringify(item)} has more than one /` };
  const [rangeText, stepText] = slash as [string, string | undefined];
  let step = 1;
  if (stepText !== undefined) {
    const s = parseNumber(stepText, undefined);
    if (s === null || s < 1 || s > def.max) return { ok: false, error: `step ${JSON.stringify(stepText)} must be 1-${def.max}` };
    step = s;
  }
  let lo: number;
  let hi: number;
  if (rangeText === '*') {
    lo = def.min;
    hi = def.max === 7 ? 6 : def.max;
  } else {
    const dash = rangeText.split('-');
    if (dash.length > 2) return { ok: false, error: `${JSON.stringify(item)} is not a range` };
    const a = parseNumber(dash[0] as string, def.names);
    const b = dash.length === 2 ? parseNumber(dash[1] as string, def.names) : null;
    if (a === null || (dash.length === 2 && b === null)) return { ok: false, error: `${JSON.stringify(item)} is not a number, name or range` };
    lo = a;
    // `5/10` means 5, 15, 25…: from the value to the end of the field.
    hi = b ?? (stepText !== undefined ? def.max : a);
  }
  if (lo < def.min || hi > def.max) return { ok: false, error: `${JSON.stringify(item)} is outside ${def.min}-${def.max}` };
  if (lo > hi) return { ok: false, error: `${JSON.stringify(item)} is a backwards range` };
  const values: number[] = [];
  for (let v = lo; v <= hi; v += step) values.push(v);
  // `*` and `*/1` leave the field unrestricted; `*/2` restricts it.
  return { ok: true, values, wildcard: rangeText === '*' && step === 1 };
}

function parseNumber(text: string, names: readonly string[] | undefined): number | null {
  if (/^\d{1,2}$/.test(text)) return Number(text);
  if (names) {
    const i = names.indexOf(text);
    if (i >= 0) return names === MONTH_NAMES ? i + 1 : i;
  }
  return null;
}
