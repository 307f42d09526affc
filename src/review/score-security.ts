import type { ReviewPolicyFile } from './review-policy-schema.js';
import { imageRegistry, isEnvFilePath, serviceLabel, touchedServices } from './service-changes.js';
import type { CategoryEvidence, Issue, ReviewInput } from './types.js';

/** Capabilities that amount to (or easily become) root on the host. */
const DANGEROUS_CAPS = new Set(['SYS_ADMIN', 'NET_ADMIN', 'SYS_PTRACE', 'SYS_MODULE', 'DAC_READ_SEARCH', 'SYS_RAWIO', 'BPF']);
const MAX_LISTED = 8;

export function scoreSecurity(input: ReviewInput, policy: ReviewPolicyFile): CategoryEvidence {
  const issues: Issue[] = [];
  const notes: string[] = [];
  const issue = (i: Omit<Issue, 'area'>) => issues.push({ area: 'security', ...i });

  const envFiles = input.files.filter((f) => f.status !== 'deleted' && isEnvFilePath(f.path, policy.guardrails));
  for (const f of envFiles) {
    issue({
      severity: 'high', cap: 0,
      msg: `${f.path} is committed: env files hold a stack's secrets`,
      action: `remove ${f.path} from the branch (and its history), add it to .gitignore, commit a .env.example instead, and rotate every value it held`,
    });
  }
  const envPaths = new Set(envFiles.map((f) => f.path));
  const hits = input.secretHits.filter((h) => !envPaths.has(h.path));
  for (const h of hits.slice(0, MAX_LISTED)) {
    issue({
      severity: 'high', cap: 0,
      msg: `possible secret at ${h.path}:${h.line} (found by ${h.detector})`,
      action: `move the value at ${h.path}:${h.line} into the stack's .env (not committed) and rotate it`,
    });
  }
  if (hits.length > MAX_LISTED) issue({ severity: 'high', cap: 0, msg: `${hits.length - MAX_LISTED} more possible secret(s) in the diff` });
  if (envFiles.length === 0 && hits.length === 0) notes.push('no env file and no secret-like value in the added lines');

  const services = touchedServices(input);
  const noRegistry: string[] = [];
  const outside: string[] = [];
  const allowed = policy.guardrails.images.allowedRegistries;
  for (const s of services) {
    const who = serviceLabel(s);
    if (s.head.privileged) {
      issue({ severity: 'high', cap: 1, msg: `${who} runs privileged: true (full root on the host)`, action: `drop privileged: true from ${who}; grant only the capabilities or devices it needs` });
    }
    for (const v of s.head.volumes) {
      if (v.source !== null && /docker\.sock$/.test(v.source)) {
        issue({ severity: 'high', cap: 1, msg: `${who} mounts the Docker socket (${v.source}): that is root on the host`, action: `give ${who} a read-only socket proxy instead of ${v.source}` });
      }
    }
    if (s.head.capAdd.includes('ALL')) {
      issue({ severity: 'high', cap: 1, msg: `${who} adds every capability (cap_add: ALL)`, action: `list only the capabilities ${who} needs in cap_add` });
    }
    const risky = s.head.capAdd.filter((c) => DANGEROUS_CAPS.has(c));
    if (risky.length > 0) issue({ severity: 'med', penalty: 2, msg: `${who} adds ${risky.join(', ')}`, action: `justify or remove cap_add ${risky.join(', ')} on ${who}` });
    const image = s.head.imageResolved;
    if (image === null) continue;
    const registry = imageRegistry(image);
    if (registry === null) noRegistry.push(image);
    if (allowed.length > 0 && !allowed.includes(registry ?? 'docker.io')) outside.push(image);
  }
  if (noRegistry.length > 0) {
    issue({ severity: 'low', penalty: 1, msg: `no registry named (Docker Hub by default, provenance unclear): ${listSome(noRegistry)}` });
  }
  if (outside.length > 0) {
    issue({ severity: 'med', penalty: 2, msg: `image(s) from a registry outside ${allowed.join(', ')}: ${listSome(outside)}`, action: 'pull images only from the allowed registries (guardrails.images.allowedRegistries)' });
  }
  if (services.length > 0 && !issues.some((i) => i.cap === 1)) {
    notes.push(`${services.length} new or changed service(s): none privileged, none mounts docker.sock, none adds ALL capabilities`);
  }
  return { issues, notes };
}

export function listSome(items: readonly string[], max = 5): string {
  const unique = [...new Set(items)];
  return unique.length <= max ? unique.join(', ') : `${unique.slice(0, max).join(', ')} and ${unique.length - max} more`;
}
