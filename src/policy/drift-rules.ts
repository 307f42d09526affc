import { judgeConfig } from './drift-config.js';
import { judgeImagePin, normalizeImageRef, parseImageRef } from './drift-image-ref.js';
import type { DeclaredService, DriftInput, Finding, ObservedContainer, Severity, StackModel } from './drift-types.js';

/** Containers that count as "up" for replica counts; restarting is reported as unhealthy. */
const UP_STATES = new Set(['running', 'paused']);
const STOPPED_STATES = new Set(['exited', 'created', 'dead']);
const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Declared state + observed state → what differs, sorted so output is stable. */
export function evaluateDrift(input: DriftInput): Finding[] {
  const byProject = groupContainers(input.containers);
  const stacks = input.only === undefined ? input.stacks : input.stacks.filter((s) => s.name === input.only);
  const findings: Finding[] = [];
  for (const stack of stacks) {
    findings.push(...checkStack(stack, byProject.get(stack.name) ?? [], input));
    const changed = input.git?.[stack.name] ?? [];
    if (changed.length > 0) findings.push(uncommitted(stack.name, changed));
  }
  if (input.only === undefined) findings.push(...checkForeignProjects(byProject, input.stacks));
  return sortFindings(findings);
}

/** True when no finding is an error or a warning: info alone does not make a stack drift. */
export function isClean(findings: readonly Finding[]): boolean {
  return findings.every((f) => f.severity === 'info');
}

/** One-off containers (`compose run`) are not part of the desired state. */
function groupContainers(containers: readonly ObservedContainer[]): Map<string, ObservedContainer[]> {
  const map = new Map<string, ObservedContainer[]>();
  for (const c of containers) {
    if (c.labels['com.docker.compose.oneoff'] === 'True') continue;
    const list = map.get(c.project) ?? [];
    list.push(c);
    map.set(c.project, list);
  }
  return map;
}

function checkStack(stack: StackModel, containers: ObservedContainer[], input: DriftInput): Finding[] {
  const out: Finding[] = stack.services.flatMap((svc) => checkPin(stack.name, svc, input.requireDigests ?? false));
  const required = stack.services.filter((s) => !s.optional);
  if (containers.length === 0) {
    if (required.length > 0) {
      out.push({
        kind: 'unmanaged', severity: 'warning', stack: stack.name,
        message: `Stack ${stack.name} has a folder with a compose file but nothing is deployed from it; run up or remove the folder.`,
      });
    }
    return out;
  }
  const declared = new Set(stack.services.map((s) => s.name));
  for (const svc of stack.services) {
    out.push(...checkService(stack, svc, containers.filter((c) => c.service === svc.name), input));
  }
  for (const c of containers) {
    if (declared.has(c.service)) continue;
    out.push({
      kind: 'orphan', severity: 'warning', stack: stack.name, service: c.service, container: c.name,
      message: `Container ${c.name} belongs to project ${stack.name} but its service "${c.service}" is not in the compose file; up --remove-orphans removes it.`,
    });
  }
  return out;
}

function checkService(stack: StackModel, svc: DeclaredService, mine: ObservedContainer[], input: DriftInput): Finding[] {
  const at = { stack: stack.name, service: svc.name };
  const out: Finding[] = [];
  const up = mine.filter((c) => UP_STATES.has(c.state));
  for (const c of mine) {
    if (STOPPED_STATES.has(c.state)) {
      out.push({ ...at, kind: 'stopped', severity: 'warning', container: c.name,
        message: `Container ${c.name} of ${svc.name} is ${c.state} (${c.status}).` });
    } else if (c.state === 'restarting' || c.health === 'unhealthy') {
      const what = c.state === 'restarting' ? 'keeps restarting' : 'fails its healthcheck';
      out.push({ ...at, kind: 'unhealthy', severity: 'error', container: c.name,
        message: `Container ${c.name} of ${svc.name} ${what} (${c.status}).` });
    }
  }
  if (up.length === 0 && !svc.optional) {
    out.push({ ...at, kind: 'missing_service', severity: 'error',
      message: `Service ${svc.name} is declared in ${stack.name} but no container of it is running.` });
  } else if (up.length > 0 && up.length !== svc.replicas) {
    out.push({ ...at, kind: 'replica_mismatch', severity: 'warning',
      message: `Service ${svc.name} declares ${svc.replicas} replica(s) but ${up.length} are running.` });
  }
  for (const c of up) {
    out.push(...checkImageAge(stack.name, svc, c, input), ...checkConfig(stack, svc, c, input));
  }
  return out;
}

function checkConfig(stack: StackModel, svc: DeclaredService, c: ObservedContainer, input: DriftInput): Finding[] {
  const def = input.definitions[stack.name] ?? { filesChangedAt: Number.POSITIVE_INFINITY, hashes: null };
  const verdict = judgeConfig(c, svc, {
    stack, def, localComposeVersion: input.localComposeVersion, dialect: input.dialect,
    image: svc.image === null ? undefined : input.images[svc.image], detail: input.details[c.id],
  });
  const at = { kind: 'config_drift' as const, stack: stack.name, service: svc.name, container: c.name };
  if (verdict.status === 'changed') {
    const what = verdict.changes.length > 0 ? `: ${verdict.changes.join(', ')}` : ' (compose config hash differs)';
    return [{ ...at, severity: 'warning',
      message: `Container ${c.name} does not match the current definition of ${svc.name}${what}; up -d would recreate it.` }];
  }
  if (verdict.status === 'unknown') {
    return [{ ...at, severity: 'info',
      message: `Could not tell whether ${c.name} matches the edited definition of ${svc.name}: ${verdict.reason}.` }];
  }
  return [];
}

/** The ref the container was created from now points at another local image. */
function checkImageAge(stack: string, svc: DeclaredService, c: ObservedContainer, input: DriftInput): Finding[] {
  // The list shows the image id instead of the ref when the ref moved; the declared ref then stands in.
  const ref = c.image.startsWith('sha256:') ? svc.image : c.image;
  if (ref === null || parseImageRef(ref).digest !== null) return [];
  if (svc.image !== null && normalizeImageRef(ref) !== normalizeImageRef(svc.image)) return []; // config drift, not age
  const now = input.images[ref];
  if (!now || now.id === c.imageId) return [];
  return [{
    kind: 'stale_image', severity: 'warning', stack, service: svc.name, container: c.name,
    message: `Container ${c.name} runs ${shortId(c.imageId)} but ${ref} now resolves to ${shortId(now.id)}; up -d would recreate it.`,
  }];
}

function checkPin(stack: string, svc: DeclaredService, requireDigests: boolean): Finding[] {
  if (svc.image === null || svc.unresolved.includes('image')) return [];
  const verdict = judgeImagePin(svc.image, requireDigests);
  if (!verdict) return [];
  return [{ kind: 'unpinned_image', severity: verdict.severity, stack, service: svc.name,
    message: `Service ${svc.name} image ${svc.image} ${verdict.reason}; pin an exact version (and digest).` }];
}

function uncommitted(stack: string, paths: string[]): Finding {
  const shown = paths.slice(0, 3).join(', ') + (paths.length > 3 ? `, and ${paths.length - 3} more` : '');
  return { kind: 'uncommitted', severity: 'warning', stack,
    message: `Stack ${stack} differs from the git HEAD of the stacks root: ${shown}.` };
}

/** Compose projects with no stack folder: deployed from somewhere oresi does not manage. */
function checkForeignProjects(byProject: Map<string, ObservedContainer[]>, stacks: readonly StackModel[]): Finding[] {
  const known = new Set(stacks.map((s) => s.name));
  const out: Finding[] = [];
  for (const [project, containers] of byProject) {
    if (known.has(project)) continue;
    const where = containers.find((c) => c.workingDir !== null)?.workingDir ?? 'an unknown folder';
    out.push({ kind: 'unmanaged', severity: 'warning', stack: project,
      message: `Compose project ${project} runs ${containers.length} container(s) from ${where}, outside the stacks root.` });
  }
  return out;
}

function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

function sortFindings(findings: Finding[]): Finding[] {
  const text = (a = '', b = '') => (a < b ? -1 : a > b ? 1 : 0);
  return findings.sort(
    (a, b) =>
      text(a.stack, b.stack) ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      text(a.kind, b.kind) ||
      text(a.service, b.service) ||
      text(a.container, b.container),
  );
}
