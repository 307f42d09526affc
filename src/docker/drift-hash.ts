import { runArgv } from '../exec/run-argv.js';
import { buildComposePrefix } from '../plan/compose-argv.js';
import type { ComposeDialect, StackFacts } from '../plan/types.js';
import type { Sys } from '../sys/sys.js';

const COMPOSE_TIMEOUT_MS = 30_000;
const MAX_OUTPUT = 1024 * 1024;

export type HashResult = { hashes: Record<string, string> } | { error: string };

function runCompose(sys: Sys, argv: string[], cwd: string, env: Record<string, string>) {
  return runArgv(sys, argv, { cwd, env, timeoutMs: COMPOSE_TIMEOUT_MS, killGraceMs: 1000, maxOutputBytes: MAX_OUTPUT });
}

/**
 * Compose's own hash of each service's current definition, the value it stores in the
 * com.docker.compose.config-hash label at `up`. Both dialects print `service hash` lines.
 */
export async function readConfigHashes(
  sys: Sys,
  dialect: ComposeDialect,
  facts: StackFacts,
  env: Record<string, string>,
): Promise<HashResult> {
  const hashArgs = dialect === 'v2' ? ['config', '--hash', '*'] : ['config', '--hash=*'];
  const r = await runCompose(sys, [...buildComposePrefix(dialect, facts), ...hashArgs], facts.dir, env);
  if (r.spawnError !== undefined) return { error: `compose could not start: ${r.spawnError}` };
  if (r.exitCode !== 0) return { error: `compose config --hash failed: ${lastLine(r.stderr) || `exit ${r.exitCode}`}` };
  return { hashes: parseHashLines(r.stdout) };
}

export function parseHashLines(out: string): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const m = /^(\S+)\s+([0-9a-f]{64})\s*$/.exec(line);
    if (m?.[1] && m[2]) hashes[m[1]] = m[2];
  }
  return hashes;
}

/** The local compose CLI's version as it writes it into com.docker.compose.version; null if unknown. */
export async function readComposeVersion(sys: Sys, dialect: ComposeDialect, env: Record<string, string>): Promise<string | null> {
  const argv = dialect === 'v2' ? ['docker', 'compose', 'version', '--short'] : ['docker-compose', 'version', '--short'];
  const r = await runCompose(sys, argv, '/', env);
  if (r.exitCode !== 0) return null;
  // v2 labels carry "2.24.0"; some builds print "v2.24.0".
  const v = r.stdout.trim().replace(/^v/, '');
  return /^\d+\.\d+/.test(v) ? v : null;
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.slice(0, 300) ?? '';
}
