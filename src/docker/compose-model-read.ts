import type { ComposeDialect, StackFacts } from '../plan/types.js';
import { parseEnvEntries } from '../policy/env-file-parse.js';
import type { StackModel } from '../policy/drift-types.js';
import type { Sys } from '../sys/sys.js';
import { AppError } from '../errors.js';
import { parseComposeModel } from './compose-model.js';

/** Same cap as discovery: a compose file is configuration, not data. */
const MAX_FILE_BYTES = 1024 * 1024;

export interface StackDefinition {
  model: StackModel;
  /** Newest mtime (epoch ms) of the compose file and the env files compose reads. */
  filesChangedAt: number;
}

/**
 * Reads what a stack declares, interpolated with the variables compose would use: the env files
 * oresi passes (v1 reads only the last one, as compose-argv passes it), then `env`, which wins
 * as the process environment does for compose.
 */
export async function readStackDefinition(
  fs: Sys['fs'],
  facts: StackFacts,
  dialect: ComposeDialect,
  env: Readonly<Record<string, string>> = {},
): Promise<StackDefinition> {
  const envFiles = dialect === 'v1' ? facts.envFiles.slice(-1) : facts.envFiles;
  const vars: Record<string, string> = {};
  let filesChangedAt = 0;
  for (const file of envFiles) {
    const { text, mtimeMs } = await readCapped(fs, file, facts.name);
    for (const e of parseEnvEntries(text)) vars[e.key] = e.value;
    filesChangedAt = Math.max(filesChangedAt, mtimeMs);
  }
  Object.assign(vars, env);
  const compose = await readCapped(fs, facts.composeFile, facts.name);
  filesChangedAt = Math.max(filesChangedAt, compose.mtimeMs);
  const model = parseComposeModel(compose.text, { name: facts.name, dir: facts.dir, composeFile: facts.composeFile, vars });
  return { model, filesChangedAt };
}

async function readCapped(fs: Sys['fs'], file: string, stack: string): Promise<{ text: string; mtimeMs: number }> {
  const st = await fs.stat(file);
  if (st.size > MAX_FILE_BYTES) {
    throw new AppError('E_STACK_INVALID', `Stack ${stack}: ${file} is larger than ${MAX_FILE_BYTES} bytes.`);
  }
  return { text: await fs.readFile(file, 'utf8'), mtimeMs: st.mtimeMs };
}
