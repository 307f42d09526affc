import { AppError } from '../errors.js';
import type { IntentCatalog } from './catalog-types.js';
import { parseIntentDocuments } from './parse.js';
import type { ParsedIntent, ParseOptions } from './parse.js';
import type { LoadedIntent } from './schema.js';
import type { Diagnostic, Result } from './yaml-source.js';

export type { IntentCatalog } from './catalog-types.js';

export interface IntentFile {
  file: string;
  text: string;
}

/**
 * Builds the catalog from intent files: every file parses, names are unique, every depends_on
 * names a known intent whose params all have defaults, and there are no cycles. All problems
 * across all files are reported at once.
 */
export function buildCatalog(files: readonly IntentFile[], opts: ParseOptions = {}): Result<IntentCatalog> {
  const errors: Diagnostic[] = [];
  const byName = new Map<string, ParsedIntent>();
  for (const { file, text } of files) {
    const parsed = parseIntentDocuments(text, file, opts);
    if (!parsed.ok) {
      errors.push(...parsed.errors);
      continue;
    }
    for (const p of parsed.value) {
      const name = p.loaded.intent.name;
      const prior = byName.get(name);
      if (prior) {
        const at = prior.diagnosticAt(['name'], '');
        const where = `${at.file}:${at.line}:${at.col}`;
        errors.push(p.diagnosticAt(['name'], `duplicate intent name "${name}" (also defined at ${where})`));
      } else {
        byName.set(name, p);
      }
    }
  }
  errors.push(...checkDependencies(byName));
  if (errors.length === 0) errors.push(...findCycles(byName));
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: createCatalog(new Map([...byName].map(([k, v]) => [k, v.loaded]))) };
}

function checkDependencies(byName: Map<string, ParsedIntent>): Diagnostic[] {
  const errors: Diagnostic[] = [];
  for (const p of byName.values()) {
    p.loaded.intent.depends_on.forEach((dep, i) => {
      const target = byName.get(dep);
      if (!target) {
        errors.push(p.diagnosticAt(['depends_on', i], `depends_on names unknown intent "${dep}"`));
        return;
      }
      // A dependency runs with its defaults; a param without one could never be filled.
      const missing = Object.entries(target.loaded.intent.params).filter(([, param]) => param.default === undefined).map(([n]) => n);
      if (missing.length > 0) {
        errors.push(p.diagnosticAt(['depends_on', i], `dependency "${dep}" runs with its defaults, but its params ${missing.join(', ')} have none`));
      }
    });
  }
  return errors;
}

/** Reports each depends_on cycle once, naming it `a → b → a`. */
function findCycles(byName: Map<string, ParsedIntent>): Diagnostic[] {
  const errors: Diagnostic[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): void => {
    state.set(name, 'visiting');
    stack.push(name);
    const p = byName.get(name) as ParsedIntent;
    p.loaded.intent.depends_on.forEach((dep, i) => {
      const s = state.get(dep);
      if (s === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(dep)), dep];
        errors.push(p.diagnosticAt(['depends_on', i], `depends_on cycle: ${cycle.join(' → ')}`));
      } else if (s === undefined) {
        visit(dep);
      }
    });
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of [...byName.keys()].sort()) if (!state.has(name)) visit(name);
  return errors;
}

/** Wraps an already validated, acyclic set of intents. */
export function createCatalog(intents: ReadonlyMap<string, LoadedIntent>): IntentCatalog {
  const sorted = [...intents.values()].sort((a, b) => a.intent.name.localeCompare(b.intent.name));
  return {
    getIntent: (name) => intents.get(name),
    list: () => [...sorted],
    dependencyOrder(name) {
      if (!intents.has(name)) throw new AppError('E_INTENT_NOT_FOUND', `no intent named "${name}"`);
      const order: string[] = [];
      const seen = new Set<string>([name]);
      const visit = (n: string): void => {
        for (const dep of intents.get(n)?.intent.depends_on ?? []) {
          if (seen.has(dep)) continue;
          seen.add(dep);
          visit(dep);
          order.push(dep);
        }
      };
      visit(name);
      return order;
    },
  };
}
