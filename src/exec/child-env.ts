/** Used when oresi itself runs without PATH (e.g. a bare systemd unit). */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Docker client settings a compose child needs to reach the same engine as oresi. */
const DOCKER_VARS = ['DOCKER_HOST', 'DOCKER_CONFIG', 'DOCKER_CERT_PATH', 'DOCKER_TLS_VERIFY'] as const;

/**
 * The complete environment of a child process. Built from an allowlist rather than by
 * removing known secrets, so a token in oresi's environment cannot reach compose (which
 * echoes variables in errors) unless the operator names it in `compose.passEnv`.
 */
export function buildChildEnv(
  env: Readonly<Record<string, string | undefined>>,
  passEnv: readonly string[],
): Record<string, string> {
  const child: Record<string, string> = {};
  // passEnv first: the fixed entries below must win (LANG decides how output is decoded).
  for (const name of passEnv) {
    const value = env[name];
    if (value !== undefined) child[name] = value;
  }
  child.PATH = nonEmpty(env.PATH) ?? DEFAULT_PATH;
  child.HOME = nonEmpty(env.HOME) ?? '/tmp';
  child.LANG = 'C.UTF-8';
  for (const name of DOCKER_VARS) {
    const value = env[name];
    if (value !== undefined && value !== '') child[name] = value;
  }
  // compose v1 would otherwise try to exec the docker CLI for `run`/`exec` interactions.
  child.COMPOSE_INTERACTIVE_NO_CLI = '1';
  return child;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
