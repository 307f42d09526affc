import { notesAbout } from './pr-body.js';
import { listServiceChanges, serviceLabel } from './service-changes.js';
import type { CategoryEvidence, Issue, ReviewInput, VolumeFacts } from './types.js';

/** Host paths a container must never write to. */
const SENSITIVE = ['/', '/etc', '/root', '/boot', '/proc', '/sys', '/dev', '/var/lib/docker', '/usr', '/bin', '/sbin', '/lib'];

export function scoreDataSafety(input: ReviewInput): CategoryEvidence {
  const issues: Issue[] = [];
  const notes: string[] = [];
  const issue = (i: Omit<Issue, 'area'>) => issues.push({ area: 'data_safety', ...i });

  for (const c of input.composes) {
    if (c.base?.ok && c.head === null) {
      issue({ severity: 'med', penalty: 2, msg: `stack ${c.stack} is removed (${c.path}); its volumes and data stay on the host`, action: `say in the PR what happens to ${c.stack}'s data (kept, archived or deleted)` });
    }
    const lost = c.base?.ok && c.head?.ok ? c.base.facts.volumes.filter((v) => !(c.head?.ok && c.head.facts.volumes.includes(v))) : [];
    if (lost.length > 0) issue({ severity: 'med', penalty: 2, msg: `${c.stack}: named volume(s) ${lost.join(', ')} removed from ${c.path}`, action: 'migrate or archive the removed volumes\' data before merging' });
  }

  for (const s of listServiceChanges(input)) {
    const who = serviceLabel(s);
    if (s.kind === 'removed') {
      if ((s.base?.volumes ?? []).some((v) => v.type !== 'tmpfs')) issue({ severity: 'med', penalty: 2, msg: `${who} is removed but had volumes; their data is left behind` });
      continue;
    }
    if (s.kind === 'unchanged' || s.head === null) continue;
    const head = s.head;
    const kept = new Set(head.volumes.map((v) => v.target));
    for (const v of s.base?.volumes ?? []) {
      if (v.type !== 'tmpfs' && !kept.has(v.target)) {
        issue({ severity: 'med', penalty: 2, msg: `${who} no longer mounts ${v.source ?? 'a volume'} at ${v.target}; the data there is not migrated`, action: `migrate ${who}'s data from ${v.target} or explain why it is not needed` });
      }
    }
    for (const v of head.volumes) {
      if (isSensitiveWritable(v)) issue({ severity: 'high', cap: 1, msg: `${who} mounts host path ${v.source ?? ''} writable`, action: `mount ${v.source ?? ''} read-only (:ro) on ${who}, or a narrower path` });
    }
    if (head.user !== null && /^(?:root|0)(?::(?:root|0))?$/.test(head.user) && head.user !== s.base?.user) {
      issue({ severity: 'med', penalty: 2, msg: `${who} runs as user: ${head.user}`, action: `run ${who} as an unprivileged user (user: "1000:1000" or PUID/PGID)` });
    } else if (s.base && head.user !== s.base.user) {
      issue({ severity: 'low', penalty: 1, msg: `${who} changes user from ${s.base.user ?? 'the image default'} to ${head.user ?? 'the image default'}; existing files may have the wrong owner` });
    }
    for (const key of ['PUID', 'PGID', 'UMASK']) {
      if (s.base && key in head.environment && key in s.base.environment && head.environment[key] !== s.base.environment[key]) {
        issue({ severity: 'low', penalty: 1, msg: `${who} changes ${key}; existing files may have the wrong owner or mode` });
      }
    }
  }

  // Migrations are code or commands: a migration file, or a compose file that runs one. Prose
  // in docs that mentions migrations is not one.
  const composePaths = new Set(input.composes.map((c) => c.path));
  const migration = input.files.some((f) => (/migrat/i.test(f.path) && !/\.md$/i.test(f.path))
    || (composePaths.has(f.path) && f.added.some((a) => /\bmigrat(?:e|ion|ions)\b/i.test(a.text))));
  if (migration) {
    const backedUp = notesAbout(input.prBody ?? '', /backup|snapshot/i) !== '';
    if (backedUp) notes.push('migration announced with a backup note');
    else issue({ severity: 'low', penalty: 1, msg: 'the change mentions a migration but the PR body has no backup or snapshot note', action: 'say in the PR how data is backed up before the migration runs' });
  }
  if (issues.length === 0) notes.push('no volume removed, no root user, no writable sensitive host path');
  return { issues, notes };
}

function isSensitiveWritable(v: VolumeFacts): boolean {
  if (v.type !== 'bind' || v.readOnly || v.source === null) return false;
  const src = v.source.replace(/\/+$/, '') || '/';
  if (/docker\.sock$/.test(src)) return false; // Security reports the socket.
  return SENSITIVE.some((p) => src === p || (p !== '/' && src.startsWith(`${p}/`)));
}
