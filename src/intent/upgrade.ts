import { posix } from 'node:path';
import { stringify } from 'yaml';
import { z } from 'zod';
import { checkIntent, REPLICAS_MAX } from './check-intent.js';
import { isValidName } from './names.js';
import { INTENT_API_VERSION, Intent, Name } from './schema.js';
import type { IntentInput, Step } from './schema.js';
import { diagnosticAt, issuesToDiagnostics } from './yaml-source.js';
import type { Diagnostic, Result, SourceDoc } from './yaml-source.js';

/**
 * The original intent format (chatops/intents/*.yaml), accepted unchanged and upgraded in memory
 * so existing repos keep working; each load carries a deprecation notice showing the v1 form.
 * Its free-form `command:` is not part of this schema: parse.ts refuses it before we get here.
 */
export const LegacyIntentDoc = z.strictObject({
  name: Name.optional(),
  label_required: z.string().min(1).max(100).optional(),
  action: z.enum(['scale', 'rollout']),
  stack: Name.optional(),
  service: Name.optional(),
  replicas: z.number().int().optional(),
  /** Absolute path of the compose file; only its stack folder is used. */
  compose: z.string().min(1).max(4096).optional(),
  description: z.string().max(2000).optional(),
});
export type LegacyIntentDoc = z.infer<typeof LegacyIntentDoc>;

/** The compose file names the Dockge layout knows (the planner finds the file itself). */
export const COMPOSE_FILE_NAMES = ['compose.yaml', 'docker-compose.yaml', 'docker-compose.yml', 'compose.yml'] as const;

export interface UpgradeOptions {
  stacksRoot: string;
}

export interface Upgraded {
  intent: Intent;
  deprecated: string;
}

/** Upgrades the legacy documents of one file (one step per document) into a v1 intent. */
export function upgradeLegacy(docs: SourceDoc[], file: string, opts: UpgradeOptions): Result<Upgraded> {
  const errors: Diagnostic[] = [];
  const valid: { sd: SourceDoc; doc: LegacyIntentDoc; stack: string | undefined }[] = [];
  for (const sd of docs) {
    const parsed = LegacyIntentDoc.safeParse(sd.value);
    if (!parsed.success) {
      errors.push(...issuesToDiagnostics(sd, parsed.error.issues));
      continue;
    }
    const docErrors = checkLegacyDoc(sd, parsed.data, opts.stacksRoot);
    errors.push(...docErrors.errors);
    if (docErrors.errors.length === 0) valid.push({ sd, doc: parsed.data, stack: docErrors.stack });
  }
  if (errors.length > 0) return { ok: false, errors };
  const first = valid[0];
  if (!first) return { ok: false, errors: [{ file, line: 1, col: 1, path: '<root>', message: 'no intent documents' }] };

  const merged = mergeDocs(valid, file);
  if (!merged.ok) return merged;
  const result = Intent.safeParse(merged.value);
  if (!result.success) return { ok: false, errors: issuesToDiagnostics(first.sd, result.error.issues) };
  const problems = checkIntent(result.data);
  if (problems.length > 0) return { ok: false, errors: problems.map((p) => diagnosticAt(first.sd, [], p.message)) };
  return { ok: true, value: { intent: result.data, deprecated: describeUpgrade(file, merged.value) } };
}

function checkLegacyDoc(sd: SourceDoc, doc: LegacyIntentDoc, stacksRoot: string): { errors: Diagnostic[]; stack: string | undefined } {
  const errors: Diagnostic[] = [];
  if (doc.action === 'scale') {
    if (doc.service === undefined) errors.push(diagnosticAt(sd, [], 'action scale needs service:'));
    if (doc.replicas === undefined) errors.push(diagnosticAt(sd, [], 'action scale needs replicas:'));
  } else if (doc.replicas !== undefined) {
    errors.push(diagnosticAt(sd, ['replicas'], `replicas: only applies to action scale, not ${doc.action}`, 'key'));
  }
  if (doc.replicas !== undefined && (doc.replicas < 0 || doc.replicas > REPLICAS_MAX)) {
    errors.push(diagnosticAt(sd, ['replicas'], `replicas must be between 0 and ${REPLICAS_MAX}, got ${doc.replicas}`));
  }
  let stack = doc.stack;
  if (doc.compose !== undefined) {
    const fromCompose = resolveComposeStack(doc.compose, stacksRoot);
    if (!fromCompose.ok) {
      errors.push(diagnosticAt(sd, ['compose'], fromCompose.message));
    } else if (stack !== undefined && stack !== fromCompose.stack) {
      errors.push(diagnosticAt(sd, ['compose'], `compose: names stack folder "${fromCompose.stack}" but stack: is "${stack}"`));
    } else {
      stack = fromCompose.stack;
    }
  }
  if (stack === undefined && doc.compose === undefined) errors.push(diagnosticAt(sd, [], 'give stack: (or compose: inside the stacks root)'));
  return { errors, stack };
}

/**
 * The stack named by an absolute compose path, which must be `<stacksRoot>/<stack>/<compose file>`.
 * Pure string work: a path that leaves the root, even through `..`, is refused outright.
 */
export function resolveComposeStack(compose: string, stacksRoot: string): { ok: true; stack: string } | { ok: false; message: string } {
  const root = posix.normalize(stacksRoot).replace(/\/+$/, '');
  if (!compose.startsWith('/')) return { ok: false, message: `compose: must be an absolute path under ${root}/, got "${compose}"` };
  if (compose.split('/').includes('..')) return { ok: false, message: `compose: must not contain "..", got "${compose}"` };
  const normal = posix.normalize(compose);
  if (!normal.startsWith(`${root}/`)) return { ok: false, message: `compose: "${compose}" is outside the stacks root ${root}/` };
  const rest = normal.slice(root.length + 1).split('/');
  const [stack, fileName] = rest;
  if (rest.length !== 2 || stack === undefined || fileName === undefined) {
    return { ok: false, message: `compose: must be ${root}/<stack>/<compose file>, got "${compose}"` };
  }
  if (!isValidName(stack)) return { ok: false, message: `compose: stack folder "${stack}" is not a valid stack name (^[a-z0-9][a-z0-9_.-]{0,62}$)` };
  if (!(COMPOSE_FILE_NAMES as readonly string[]).includes(fileName)) {
    return { ok: false, message: `compose: file must be one of ${COMPOSE_FILE_NAMES.join(', ')}, got "${fileName}"` };
  }
  return { ok: true, stack };
}

type ValidDoc = { sd: SourceDoc; doc: LegacyIntentDoc; stack: string | undefined };

function mergeDocs(valid: ValidDoc[], file: string): Result<IntentInput> {
  const first = valid[0] as ValidDoc;
  const errors: Diagnostic[] = [];
  const agree = (key: 'name' | 'label_required' | 'stack', value: (v: ValidDoc) => string | undefined): string | undefined => {
    let seen: string | undefined;
    for (const v of valid) {
      const x = value(v);
      if (x === undefined) continue;
      if (seen !== undefined && x !== seen) {
        errors.push(diagnosticAt(v.sd, [key], `every document of a file must agree on ${key}: "${x}" differs from "${seen}"`));
      }
      seen ??= x;
    }
    return seen;
  };
  const name = agree('name', (v) => v.doc.name) ?? nameFromFile(file);
  const label = agree('label_required', (v) => v.doc.label_required);
  const stack = agree('stack', (v) => v.stack);
  if (!isValidName(name)) {
    errors.push(diagnosticAt(first.sd, [], `the file name gives intent name "${name}", which is not a valid name; add name: (^[a-z0-9][a-z0-9_.-]{0,62}$)`));
  }
  if (errors.length > 0 || stack === undefined) return { ok: false, errors };
  const description = valid.find((v) => v.doc.description !== undefined)?.doc.description;
  const intent: IntentInput = {
    apiVersion: INTENT_API_VERSION,
    kind: 'Intent',
    name,
    ...(description !== undefined ? { description } : {}),
    stack,
    steps: valid.map((v) => toStep(v.doc)),
    ...(label !== undefined ? { approval: { label } } : {}),
  };
  return { ok: true, value: intent };
}

function toStep(doc: LegacyIntentDoc): Step {
  if (doc.action === 'scale') return { action: 'scale', service: doc.service as string, replicas: doc.replicas as number };
  return doc.service !== undefined ? { action: 'rollout', service: doc.service } : { action: 'rollout' };
}

/** `chatops/intents/Scale_Stack.yaml` → `scale_stack`. */
export function nameFromFile(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.ya?ml$/i, '').toLowerCase();
}

function describeUpgrade(file: string, intent: IntentInput): string {
  const v1 = stringify(intent).trimEnd();
  return [
    `${file} uses the original intent format (label_required/action/compose), which is deprecated.`,
    'It was upgraded in memory; write it as oresi.dev/v1 to silence this notice',
    '(compose: is no longer needed: oresi finds the stack\'s compose file itself):',
    v1,
  ].join('\n');
}
