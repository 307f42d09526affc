import type { ComposeDialect } from '../plan/types.js';
import type { Sys } from '../sys/sys.js';
import { runArgv } from '../exec/run-argv.js';

const PROBE_TIMEOUT_MS = 10_000;

/**
 * Which compose CLI drives stacks on this host: `docker compose` (v2) preferred, else
 * `docker-compose` (v1); null when neither answers. An explicit override wins without probing
 * (an operator who pins v1 may not have v2's plugin directory readable by oresi).
 */
export async function detectComposeDialect(
  sys: Sys,
  env: Record<string, string>,
  override: 'auto' | ComposeDialect,
): Promise<ComposeDialect | null> {
  if (override !== 'auto') return override;
  const probe = async (argv: string[]) => {
    const r = await runArgv(sys, argv, {
      cwd: '/',
      env,
      timeoutMs: PROBE_TIMEOUT_MS,
      killGraceMs: 1000,
      maxOutputBytes: 4096,
    });
    return r.exitCode === 0;
  };
  if (await probe(['docker', 'compose', 'version'])) return 'v2';
  if (await probe(['docker-compose', 'version'])) return 'v1';
  return null;
}
