import { parseImageRef } from '../policy/drift-image-ref.js';
import { matchesAnyGlob } from './path-glob.js';
import type { Guardrails } from './review-policy-schema.js';
import type { ReviewInput, ServiceChange, ServiceFacts } from './types.js';

/**
 * Which services a PR touches. The rubric judges what the PR changes: an old privileged
 * service nobody touched is not this PR's finding, a new one is.
 */
export function listServiceChanges(input: ReviewInput): ServiceChange[] {
  const out: ServiceChange[] = [];
  for (const c of input.composes) {
    const head = c.head?.ok ? c.head.facts.services : [];
    const base = c.base?.ok ? c.base.facts.services : [];
    const baseByName = new Map(base.map((s) => [s.name, s]));
    const headNames = new Set(head.map((s) => s.name));
    for (const s of head) {
      const before = baseByName.get(s.name) ?? null;
      const kind = before === null ? 'new' : before.fingerprint === s.fingerprint ? 'unchanged' : 'changed';
      out.push({ stack: c.stack, file: c.path, name: s.name, kind, head: s, base: before });
    }
    for (const s of base) {
      if (!headNames.has(s.name)) out.push({ stack: c.stack, file: c.path, name: s.name, kind: 'removed', head: null, base: s });
    }
  }
  return out;
}

/** New and changed services with their head definition. */
export function touchedServices(input: ReviewInput): (ServiceChange & { head: ServiceFacts })[] {
  return listServiceChanges(input).filter((c): c is ServiceChange & { head: ServiceFacts } =>
    c.head !== null && (c.kind === 'new' || c.kind === 'changed'));
}

export function serviceLabel(c: { stack: string; name: string }): string {
  return `${c.stack}/${c.name}`;
}

/** The stack folders a PR touches: `<stacksDir>/<name>/…`. */
export function changedStacks(input: ReviewInput, stacksDir: string): string[] {
  const prefix = `${stacksDir.replace(/\/+$/, '')}/`;
  const names = new Set<string>();
  for (const f of input.files) {
    for (const p of [f.path, f.oldPath]) {
      if (p === undefined || !p.startsWith(prefix)) continue;
      const name = p.slice(prefix.length).split('/')[0];
      if (name && p.slice(prefix.length).includes('/')) names.add(name);
    }
  }
  return [...names].sort();
}

export function isEnvFilePath(path: string, guardrails: Guardrails): boolean {
  return matchesAnyGlob(guardrails.envFiles, path) && !matchesAnyGlob(guardrails.envFileTemplates, path);
}

/** The registry host an image names, or null when it relies on Docker Hub's implicit default. */
export function imageRegistry(image: string): string | null {
  const { repository } = parseImageRef(image);
  const slash = repository.indexOf('/');
  if (slash < 0) return null;
  const first = repository.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : null;
}

/** The text a person writes about a change: the PR body plus every added line. */
export function changeText(input: ReviewInput): string {
  const lines = [input.prBody ?? ''];
  for (const f of input.files) for (const a of f.added) lines.push(a.text);
  return lines.join('\n');
}
