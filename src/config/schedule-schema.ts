import { z } from 'zod';
import { Name } from '../intent/schema.js';
import { parseCron } from '../policy/cron.js';
import { isValidTimeZone } from '../policy/zoned-time.js';

const EnvName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { message: 'must be an environment variable name' });

/** A Healthchecks.io check to ping around each run: the ping URL itself, or the env var holding it. */
export const ScheduleHealthchecks = z.union([
  z.strictObject({ url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }) }),
  z.strictObject({ urlEnv: EnvName }),
]);
export type ScheduleHealthchecks = z.infer<typeof ScheduleHealthchecks>;

export const ScheduleEntry = z.strictObject({
  name: Name,
  cron: z.string().superRefine((value, ctx) => {
    const parsed = parseCron(value);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `not a cron expression: ${parsed.error}` });
  }),
  intent: Name,
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  /** IANA zone the cron fields are read in; the process's zone (TZ) when absent. */
  timeZone: z.string().refine(isValidTimeZone, { message: 'unknown IANA time zone' }).optional(),
  /**
   * A role (from `roles`) the schedule runs with. Without one it runs as the operator who wrote
   * the config would: the intent and its params are fixed here, so nothing else is reachable.
   */
  role: Name.optional(),
  healthchecks: ScheduleHealthchecks.optional(),
});
export type ScheduleEntry = z.infer<typeof ScheduleEntry>;

export const SchedulesConfig = z.array(ScheduleEntry).default([]).superRefine((entries, ctx) => {
  const seen = new Set<string>();
  entries.forEach((e, i) => {
    if (seen.has(e.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `schedule ${e.name} is defined twice` });
    seen.add(e.name);
  });
});
export type SchedulesConfig = z.infer<typeof SchedulesConfig>;


/** Healthchecks ping URLs grant write access to a check: give them to the redactor. */
export function scheduleSecrets(entries: SchedulesConfig, env: Readonly<Record<string, string | undefined>>): string[] {
  return entries.flatMap((e) => {
    const hc = e.healthchecks;
    if (!hc) return [];
    const url = 'url' in hc ? hc.url : env[hc.urlEnv];
    return url ? [url] : [];
  });
}
