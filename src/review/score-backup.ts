import { matchesAnyGlob } from './path-glob.js';
import { notesAbout } from './pr-body.js';
import type { ReviewPolicyFile } from './review-policy-schema.js';
import { serviceLabel, touchedServices } from './service-changes.js';
import type { CategoryEvidence, Issue, ReviewInput, ServiceFacts } from './types.js';

/**
 * New persistent data must have a way back: a backup label on the service (offen/
 * docker-volume-backup style), or a mention in the PR body, a backup intent or the docs.
 */
export function scoreBackup(input: ReviewInput, policy: ReviewPolicyFile): CategoryEvidence {
  const issues: Issue[] = [];
  const notes: string[] = [];
  const documented = backupText(input, policy.review.backupPaths);

  let newCount = 0;
  for (const s of touchedServices(input)) {
    const before = new Set((s.base?.volumes ?? []).map(volumeKey));
    for (const v of s.head.volumes) {
      if (v.type === 'tmpfs' || v.readOnly || before.has(volumeKey(v))) continue;
      // A read-only or config-file bind is not data to back up; a writable one is.
      newCount += 1;
      const what = v.source ?? `anonymous volume at ${v.target}`;
      if (isCovered(s.head, v.source, v.target, documented)) {
        notes.push(`new volume ${what} on ${serviceLabel(s)} is covered by a backup label or note`);
        continue;
      }
      issues.push({
        area: 'backup_dr', severity: 'med', penalty: 2,
        msg: `new writable volume ${what} → ${v.target} on ${serviceLabel(s)} is not covered by a backup label, intent or note`,
        action: `add ${what} to the backup (a backup label on ${serviceLabel(s)}, a backup intent, or a "Backup" note in the PR naming it)`,
      });
    }
  }
  if (newCount === 0) notes.push('no new writable volume');
  return { issues, notes };
}

function volumeKey(v: { source: string | null; target: string }): string {
  return `${v.source ?? ''}→${v.target}`;
}

function isCovered(s: ServiceFacts, source: string | null, target: string, documented: string): boolean {
  if (Object.keys(s.labels).some((k) => /backup/i.test(k))) return true;
  const names = [source, target].filter((n): n is string => n !== null && n.length > 1).map((n) => n.toLowerCase().replace(/^\.\//, ''));
  return names.some((n) => documented.includes(n));
}

/** Text about backups: the PR body's Backup section (or lines naming backups), and added lines in backup files. */
function backupText(input: ReviewInput, backupPaths: readonly string[]): string {
  const lines: string[] = [];
  lines.push(notesAbout(input.prBody ?? '', /backup|restic|borg|snapshot/i));
  for (const f of input.files) {
    if (!matchesAnyGlob(backupPaths, f.path)) continue;
    for (const a of f.added) lines.push(a.text);
  }
  return lines.join('\n').toLowerCase();
}
