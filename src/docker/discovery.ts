import { readComposeServices } from './compose-yaml.js';
import { createHash } from 'node:crypto';
import { join, sep } from 'node:path';
import { AppError, isAppError } from '../errors.js';
import { NAME_PATTERN } from '../intent/names.js';
import type { StackFacts } from '../plan/types.js';
import type { Sys } from '../sys/sys.js';

/** Dockge's order: the first of these that exists is the stack's compose file. */
export const COMPOSE_FILE_NAMES = ['compose.yaml', 'docker-compose.yaml', 'docker-compose.yml', 'compose.yml'] as const;
/** A compose file is configuration, not data; a bigger one is refused rather than parsed. */
const MAX_COMPOSE_BYTES = 1024 * 1024;

export interface FindStackOptions {
  root: string;
  name: string;
  /** When set, a stack not on it does not exist for oresi. */
  allowlist?: readonly string[] | undefined;
  fs: Sys['fs'];
}

export interface DiscoverOptions {
  root: string;
  allowlist?: readonly string[] | undefined;
  fs: Sys['fs'];
}

export interface DiscoveryResult {
  stacks: StackFacts[];
  problems: { name: string; reason: string }[];
}

/**
 * Resolves one stack by name. Every path is realpath'd and must stay inside the stacks root,
 * so a symlinked folder or compose file cannot point oresi (and compose) elsewhere.
 */
export async function findStack(opts: FindStackOptions): Promise<StackFacts> {
  const { name, fs } = opts;
  if (!NAME_PATTERN.test(name)) throw notFound(name, 'is not a valid stack name');
  if (opts.allowlist && !opts.allowlist.includes(name)) throw notFound(name, 'does not exist');
  const root = await realpathOr(fs, opts.root);
  if (!root) throw notFound(name, `does not exist: the stacks root ${opts.root} is missing`);

  const dir = await realpathOr(fs, join(root, name));
  if (!dir) throw notFound(name, 'does not exist');
  assertInside(root, dir, name, `folder ${join(opts.root, name)}`);
  if (!(await fs.stat(dir)).isDirectory()) throw notFound(name, 'is not a folder');

  const composeFile = await findComposeFile(fs, root, dir, name);
  const envFiles: string[] = [];
  for (const candidate of [join(root, 'global.env'), join(dir, '.env')]) {
    const real = await realpathOr(fs, candidate);
    if (!real) continue;
    assertInside(root, real, name, `env file ${candidate}`);
    envFiles.push(real);
  }
  // Read once: the same bytes give the service names and the content hash.
  const compose = await readCompose(fs, composeFile, name);
  const services = Object.keys(readComposeServices(compose.toString('utf8'), { name, file: composeFile }));
  const contentHash = hashFiles([[composeFile, compose], ...await Promise.all(envFiles.map(async (f) => [f, await fs.readFile(f)] as const))]);
  return { name, dir, composeFile, envFiles, services, contentHash };
}

/** Every stack under the root, sorted by name; stacks that cannot be used are listed as problems. */
export async function discoverStacks(opts: DiscoverOptions): Promise<DiscoveryResult> {
  const { fs } = opts;
  const root = await realpathOr(fs, opts.root);
  if (!root) throw new AppError('E_STACK_NOT_FOUND', `The stacks root ${opts.root} does not exist.`, { setting: 'stacksRoot', path: opts.root });
  const entries = await fs.readdir(root, { withFileTypes: true });
  const names = new Set<string>();
  for (const e of entries) {
    // Hidden folders (.git) and plain files (global.env) are not stacks.
    if (e.name.startsWith('.') || !(e.isDirectory() || e.isSymbolicLink())) continue;
    if (!opts.allowlist || opts.allowlist.includes(e.name)) names.add(e.name);
  }
  // An allowlisted stack that is missing is worth telling the operator about.
  for (const name of opts.allowlist ?? []) names.add(name);

  const result: DiscoveryResult = { stacks: [], problems: [] };
  for (const name of [...names].sort()) {
    try {
      result.stacks.push(await findStack({ ...opts, root, name }));
    } catch (err) {
      if (!isAppError(err)) throw err;
      result.problems.push({ name, reason: err.message });
    }
  }
  return result;
}

async function findComposeFile(fs: Sys['fs'], root: string, dir: string, name: string): Promise<string> {
  for (const file of COMPOSE_FILE_NAMES) {
    const real = await realpathOr(fs, join(dir, file));
    if (!real) continue;
    assertInside(root, real, name, `compose file ${join(dir, file)}`);
    if (!(await fs.stat(real)).isFile()) {
      throw new AppError('E_STACK_INVALID', `Stack ${name}: ${join(dir, file)} is not a regular file.`);
    }
    return real;
  }
  throw notFound(name, `has no compose file (looked for ${COMPOSE_FILE_NAMES.join(', ')})`);
}

/** SHA-256 over each file's path and bytes, in order. */
function hashFiles(files: ReadonlyArray<readonly [string, Buffer]>): string {
  const h = createHash('sha256');
  for (const [file, bytes] of files) h.update(`${file}\u0000${bytes.length}\u0000`).update(bytes);
  return h.digest('hex');
}

async function readCompose(fs: Sys['fs'], file: string, name: string): Promise<Buffer> {
  const { size } = await fs.stat(file);
  if (size > MAX_COMPOSE_BYTES) throw new AppError('E_STACK_INVALID', `Stack ${name}: ${file} is larger than ${MAX_COMPOSE_BYTES} bytes.`);
  return fs.readFile(file);
}

function assertInside(root: string, real: string, name: string, what: string): void {
  const prefix = root.endsWith(sep) ? root : root + sep;
  if (!real.startsWith(prefix)) {
    throw new AppError('E_STACK_INVALID', `Stack ${name}: ${what} resolves outside the stacks root (${real}).`);
  }
}

/** realpath, or undefined when the path (or a link target) does not exist. */
async function realpathOr(fs: Sys['fs'], path: string): Promise<string | undefined> {
  try {
    return await fs.realpath(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

function notFound(name: string, why: string): AppError {
  return new AppError('E_STACK_NOT_FOUND', `Stack ${name} ${why}.`);
}
