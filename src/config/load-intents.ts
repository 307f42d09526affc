import * as realFs from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppError } from '../errors.js';
import { buildCatalog } from '../intent/catalog.js';
import type { IntentCatalog, IntentFile } from '../intent/catalog.js';
import { formatDiagnostic } from '../intent/yaml-source.js';

export type IntentsFs = Pick<typeof realFs, 'readdir' | 'readFile' | 'stat'>;

/** An intent file is a few KB; anything this large is a mistake (or an attack on the parser). */
export const INTENT_FILE_MAX_BYTES = 256 * 1024;

/** Reads `*.yaml` / `*.yml` directly in `dir` (not below it), sorted by name, with absolute paths. */
export async function readIntentFiles(dir: string, fs: IntentsFs = realFs): Promise<IntentFile[]> {
  const root = resolve(dir);
  let names: string[];
  try {
    names = await fs.readdir(root);
  } catch (err) {
    throw new AppError('E_CONFIG_INVALID', `intentsDir ${root} cannot be read: ${(err as Error).message}`, { setting: 'intentsDir', path: root });
  }
  const files: IntentFile[] = [];
  for (const name of names.filter((n) => /\.ya?ml$/.test(n) && !n.startsWith('.')).sort()) {
    const file = join(root, name);
    const st = await fs.stat(file);
    if (!st.isFile()) continue;
    if (st.size > INTENT_FILE_MAX_BYTES) {
      throw new AppError('E_INTENT_INVALID', `${file}: ${st.size} bytes is over the ${INTENT_FILE_MAX_BYTES}-byte limit for an intent file`);
    }
    files.push({ file, text: await fs.readFile(file, 'utf8') });
  }
  return files;
}

export interface LoadIntentsOptions {
  dir: string;
  /** Where legacy `compose:` paths must point (the config's stacksRoot). */
  stacksRoot: string;
  fs?: IntentsFs;
}

/** Reads and validates the intents folder; throws E_INTENT_INVALID listing every problem. */
export async function loadIntentCatalog(opts: LoadIntentsOptions): Promise<IntentCatalog> {
  const files = await readIntentFiles(opts.dir, opts.fs);
  const built = buildCatalog(files, { stacksRoot: opts.stacksRoot });
  if (built.ok) return built.value;
  const lines = built.errors.map((d) => `  ${formatDiagnostic(d)}`);
  throw new AppError('E_INTENT_INVALID', `invalid intents in ${resolve(opts.dir)}:\n${lines.join('\n')}`, { diagnostics: built.errors });
}
