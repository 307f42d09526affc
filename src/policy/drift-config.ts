import { normalizeImageRef } from './drift-image-ref.js';
import type {
  ContainerDetail,
  DeclaredService,
  DefinitionFacts,
  ImageFact,
  ObservedContainer,
  StackModel,
} from './drift-types.js';

export type ConfigVerdict =
  | { status: 'same' }
  | { status: 'changed'; method: 'hash' | 'fields'; changes: string[] }
  | { status: 'unknown'; reason: string };

/**
 * Whether the current definition could differ from the one a container was made from. When no
 * input file changed after the container was created from this stack's folder, it cannot,
 * and the costly compose call is skipped. Created is whole seconds, so equal seconds count as
 * "maybe changed".
 */
export function needsDefinitionCheck(c: ObservedContainer, stack: StackModel, def: DefinitionFacts): boolean {
  // Made elsewhere (or by hand, without compose's labels): the files say nothing about it.
  if (c.workingDir !== stack.dir) return true;
  return !(c.created > def.filesChangedAt);
}

/**
 * Compose's hash is only comparable when the same compose version computed both. v1 also hashes
 * the image id, so a container on an older image differs by hash alone; stale_image reports
 * that, and the fields say whether anything else changed.
 */
export function isHashComparable(
  c: ObservedContainer,
  localComposeVersion: string | null,
  dialect: 'v1' | 'v2',
  image: ImageFact | null | undefined,
): boolean {
  if (c.configHash === null || localComposeVersion === null) return false;
  if (c.composeVersion !== localComposeVersion) return false;
  return dialect === 'v2' || !image || image.id === c.imageId;
}

export interface ConfigContext {
  stack: StackModel;
  def: DefinitionFacts;
  localComposeVersion: string | null;
  dialect: 'v1' | 'v2';
  image: ImageFact | null | undefined;
  detail: ContainerDetail | undefined;
}

export function judgeConfig(c: ObservedContainer, svc: DeclaredService, ctx: ConfigContext): ConfigVerdict {
  if (!needsDefinitionCheck(c, ctx.stack, ctx.def)) return { status: 'same' };
  const hash = ctx.def.hashes?.[svc.name];
  if (hash !== undefined && isHashComparable(c, ctx.localComposeVersion, ctx.dialect, ctx.image)) {
    if (hash === c.configHash) return { status: 'same' };
    return { status: 'changed', method: 'hash', changes: ctx.detail ? compareFields(svc, ctx.detail) : [] };
  }
  // Without an inspection, the list entry still carries the image and the labels.
  const detail = ctx.detail ?? { image: c.image, labels: c.labels };
  const changes = compareFields(svc, detail);
  if (changes.length > 0) return { status: 'changed', method: 'fields', changes };
  if (!ctx.detail) return { status: 'unknown', reason: ctx.def.hashError ?? 'the container could not be inspected' };
  return { status: 'same' };
}

/**
 * Names (never values: env may hold secrets) of the declared fields the container does not
 * match. Only what is declared is compared: defaults from the image are not drift.
 */
export function compareFields(svc: DeclaredService, d: Partial<ContainerDetail>): string[] {
  const skip = new Set(svc.unresolved);
  const changes: string[] = [];
  if (svc.image && !skip.has('image') && d.image !== undefined && !d.image.startsWith('sha256:')) {
    if (normalizeImageRef(svc.image) !== normalizeImageRef(d.image)) changes.push(`image (${d.image} → ${svc.image})`);
  }
  if (svc.command && !skip.has('command') && d.command && !sameList(svc.command, d.command)) changes.push('command');
  if (d.env && !skip.has('environment')) {
    const have = new Set(d.env);
    for (const [key, value] of Object.entries(svc.environment)) {
      if (value !== null && !have.has(`${key}=${value}`)) changes.push(`environment ${key}`);
    }
  }
  if (svc.ports && !skip.has('ports') && d.portBindings && !samePorts(svc, d.portBindings)) changes.push('ports');
  if (d.mountTargets && !skip.has('volumes')) {
    const mounted = new Set(d.mountTargets);
    for (const target of svc.volumeTargets) if (!mounted.has(target)) changes.push(`volume ${target}`);
  }
  if (d.labels && !skip.has('labels')) {
    for (const [key, value] of Object.entries(svc.labels)) {
      if (d.labels[key] !== value) changes.push(`label ${key}`);
    }
  }
  return changes;
}

function samePorts(svc: DeclaredService, bindings: ContainerDetail['portBindings']): boolean {
  const declared = svc.ports ?? [];
  const keys = new Set(declared.map((p) => `${p.target}/${p.protocol}`));
  for (const [key, list] of Object.entries(bindings)) if (!keys.has(key) && list.length > 0) return false;
  return declared.every((p) => {
    const list = bindings[`${p.target}/${p.protocol}`] ?? [];
    return list.some(
      (b) =>
        (p.published === null || b.hostPort === p.published) &&
        anyIp(b.hostIp) === anyIp(p.hostIp),
    );
  });
}

function anyIp(ip: string): string {
  return ip === '0.0.0.0' || ip === '::' ? '' : ip;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
