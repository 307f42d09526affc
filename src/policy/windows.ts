import type { ChangeWindows } from '../intent/schema.js';
import { matchesCron, parseCron } from './cron.js';
import { cronFieldsAt } from './zoned-time.js';

export type WindowDecision = { open: true } | { open: false; reason: string };

/**
 * Every windows block applies (the intent's, its dependencies', the global one): a deny match
 * closes, and where allow lists exist the minute must match one of them.
 */
export function checkChangeWindows(blocks: readonly ChangeWindows[], epochMs: number, timeZone: string): WindowDecision {
  const t = cronFieldsAt(epochMs, timeZone);
  const when = `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')} ${timeZone}`;
  for (const block of blocks) {
    for (const source of block.deny ?? []) {
      const p = parseCron(source);
      if (!p.ok) return { open: false, reason: `change window "${source}": ${p.error}` };
      if (matchesCron(p.spec, t)) return { open: false, reason: `changes are not allowed now (${when} is inside the deny window "${source}")` };
    }
    if (block.allow && block.allow.length > 0) {
      let allowed = false;
      for (const source of block.allow) {
        const p = parseCron(source);
        if (!p.ok) return { open: false, reason: `change window "${source}": ${p.error}` };
        if (matchesCron(p.spec, t)) allowed = true;
      }
      if (!allowed) return { open: false, reason: `changes are allowed only in ${block.allow.map((a) => `"${a}"`).join(', ')}; it is ${when}` };
    }
  }
  return { open: true };
}
