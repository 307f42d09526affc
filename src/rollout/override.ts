import { parseDocument, stringify } from 'yaml';
import type { Sys } from '../sys/sys.js';

/**
 * The compose override a rollback adds after the stack's own file: it only pins `image:` per
 * service. compose v1 refuses to merge files whose `version:` differ, so the stack file's
 * version (when it has one) is repeated here.
 */
export function buildOverrideYaml(pins: Readonly<Record<string, string>>, composeVersion: string | null): string {
  const services: Record<string, { image: string }> = {};
  for (const [service, image] of Object.entries(pins)) services[service] = { image };
  const doc = composeVersion === null ? { services } : { version: composeVersion, services };
  return `# Written by oresi for a rollback; pins images only. Safe to delete once the stack is fixed.\n${stringify(doc)}`;
}

/** The top-level `version:` of a compose file, as text; null when absent or unreadable. */
export async function readComposeFileVersion(fs: Sys['fs'], composeFile: string): Promise<string | null> {
  try {
    const doc = parseDocument(await fs.readFile(composeFile, 'utf8'));
    const v: unknown = doc.get('version');
    return typeof v === 'string' || typeof v === 'number' ? String(v) : null;
  } catch {
    // Unreadable here means compose will report it itself, with a better message.
    return null;
  }
}
