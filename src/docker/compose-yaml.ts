import { parseDocument } from 'yaml';
import { AppError } from '../errors.js';

const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The top-level `services:` mapping of a compose file (empty when there is none), read the way
 * compose reads it (YAML merge keys, a bounded number of aliases). Anything else is
 * E_STACK_INVALID naming the stack and the file.
 */
export function readComposeServices(text: string, where: { name: string; file: string }): Record<string, unknown> {
  const invalid = (why: string) => new AppError('E_STACK_INVALID', `Stack ${where.name}: ${where.file} ${why}.`);
  const doc = parseDocument(text, { prettyErrors: true, merge: true });
  const first = doc.errors[0];
  if (first) throw invalid(`is not valid YAML: ${first.message}`);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw invalid(`cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isMapping(data)) throw invalid('is not a mapping');
  const services = data.services ?? {};
  if (!isMapping(services)) throw invalid('has a `services` entry that is not a mapping');
  return services;
}
