import { checkIntent } from './check-intent.js';
import { Intent } from './schema.js';
import { ACTIONS } from '../model.js';
import type { LoadedIntent } from './schema.js';
import { upgradeLegacy } from './upgrade.js';
import { diagnosticAt, isEmptyDoc, issuesToDiagnostics, parseYamlDocuments } from './yaml-source.js';
import type { Diagnostic, PathSegment, Result, SourceDoc } from './yaml-source.js';

export interface ParseOptions {
  /** Where legacy `compose:` paths must point; defaults to the Dockge default. */
  stacksRoot?: string;
}

/** A loaded intent that can still point back into its source, for catalog-level errors. */
export interface ParsedIntent {
  loaded: LoadedIntent;
  diagnosticAt(path: PathSegment[], message: string): Diagnostic;
}

export const DEFAULT_STACKS_ROOT = '/opt/stacks';

/** Why `command:` is refused, and what to write instead. Shown verbatim to whoever wrote it. */
export const COMMAND_REJECTED_MESSAGE = [
  '"command:" is not supported: oresi never runs shell commands taken from YAML, because anyone',
  'who can edit an intent file could then run anything on the host (remote code execution).',
  'Describe the operation with an action: and structured fields instead; oresi builds the',
  'docker compose argv itself. For example:',
  '  apiVersion: oresi.dev/v1',
  '  kind: Intent',
  '  name: scale-plex',
  '  stack: stack-media',
  '  steps:',
  '    - action: scale',
  '      service: plex',
  '      replicas: 2',
  `Actions: ${ACTIONS.join(', ')}.`,
].join('\n');

/** Parses one intent file (one or more YAML documents) into validated intents. */
export function parseIntentFile(text: string, file: string, opts: ParseOptions = {}): Result<LoadedIntent[]> {
  const parsed = parseIntentDocuments(text, file, opts);
  return parsed.ok ? { ok: true, value: parsed.value.map((p) => p.loaded) } : parsed;
}

/**
 * Like parseIntentFile, keeping positions. v1 files hold one intent per document; original-format
 * files hold one step per document and become a single intent. The two cannot be mixed.
 */
export function parseIntentDocuments(text: string, file: string, opts: ParseOptions = {}): Result<ParsedIntent[]> {
  const yamlDocs = parseYamlDocuments(text, file);
  if (!yamlDocs.ok) return yamlDocs;
  const docs = yamlDocs.value.filter((d) => !isEmptyDoc(d));
  if (docs.length === 0) return { ok: false, errors: [{ file, line: 1, col: 1, path: '<root>', message: 'file holds no intent' }] };

  const errors: Diagnostic[] = [];
  for (const sd of docs) errors.push(...checkShape(sd));
  if (errors.length > 0) return { ok: false, errors };

  const v1 = docs.filter(isV1Doc);
  const legacy = docs.filter((d) => !isV1Doc(d));
  if (v1.length > 0 && legacy.length > 0) {
    const at = legacy[0] as SourceDoc;
    return { ok: false, errors: [diagnosticAt(at, [], 'this document uses the original format but others in the file are oresi.dev/v1; use one format per file')] };
  }
  if (legacy.length > 0) return parseLegacy(legacy, file, opts, text);

  const out: ParsedIntent[] = [];
  for (const sd of v1) {
    const one = parseV1Doc(sd);
    if (one.ok) out.push(one.value);
    else errors.push(...one.errors);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: out };
}

function isV1Doc(sd: SourceDoc): boolean {
  const v = sd.value as Record<string, unknown>;
  return 'apiVersion' in v || 'kind' in v;
}

/** Refuses non-mappings and every `command:` (top level or in a step) before anything else. */
function checkShape(sd: SourceDoc): Diagnostic[] {
  const v = sd.value;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    return [diagnosticAt(sd, [], `expected a mapping (an intent), got ${Array.isArray(v) ? 'a list' : typeof v}`)];
  }
  const out: Diagnostic[] = [];
  if ('command' in v) out.push(diagnosticAt(sd, ['command'], COMMAND_REJECTED_MESSAGE, 'key'));
  const steps = (v as Record<string, unknown>)['steps'];
  if (Array.isArray(steps)) {
    steps.forEach((step: unknown, i) => {
      if (typeof step === 'object' && step !== null && 'command' in step) {
        out.push(diagnosticAt(sd, ['steps', i, 'command'], COMMAND_REJECTED_MESSAGE, 'key'));
      }
    });
  }
  return out;
}

function parseV1Doc(sd: SourceDoc): Result<ParsedIntent> {
  const result = Intent.safeParse(sd.value);
  if (!result.success) return { ok: false, errors: issuesToDiagnostics(sd, result.error.issues) };
  const problems = checkIntent(result.data);
  if (problems.length > 0) return { ok: false, errors: problems.map((p) => diagnosticAt(sd, p.path, p.message)) };
  return {
    ok: true,
    value: {
      loaded: { intent: result.data, file: sd.file, source: sd.source },
      diagnosticAt: (path, message) => diagnosticAt(sd, path, message),
    },
  };
}

function parseLegacy(docs: SourceDoc[], file: string, opts: ParseOptions, text: string): Result<ParsedIntent[]> {
  const up = upgradeLegacy(docs, file, { stacksRoot: opts.stacksRoot ?? DEFAULT_STACKS_ROOT });
  if (!up.ok) return up;
  const first = docs[0] as SourceDoc;
  // Only `name` exists in both formats; anything else is reported at the top of the file.
  const locate = (path: PathSegment[], message: string): Diagnostic =>
    diagnosticAt(first, path[0] === 'name' && path.length === 1 ? ['name'] : [], message);
  return {
    ok: true,
    value: [{
      loaded: { intent: up.value.intent, file, source: text, deprecated: up.value.deprecated },
      diagnosticAt: locate,
    }],
  };
}
