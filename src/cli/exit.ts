import { AppError } from '../errors.js';

/** Exit codes documented in the README: 0 ok, 1 the thing checked is bad, 2 usage or environment error. */
export const EXIT_OK = 0;
export const EXIT_BAD = 1;
export const EXIT_USAGE = 2;
/** The reader of stdout went away (`| head`): 128 + SIGPIPE, what a shell reports for `git log | head`. */
export const EXIT_CLOSED_PIPE = 141;

/** A write to a pipe or socket whose reader has closed it. */
export function isClosedPipe(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

/** Thrown by commands to end with a specific exit code after they printed their result. */
export class CliExit extends Error {
  constructor(readonly code: number, message = '') {
    super(message);
  }
}

/** The one place the CLI turns an error into a message and an exit code. */
export function describeCliError(err: unknown): { code: number; message: string } {
  if (err instanceof CliExit) return { code: err.code, message: err.message };
  if (err instanceof AppError) return { code: err.exitCode, message: `oresi: ${err.code}: ${err.message}` };
  const commanderCode = (err as { code?: unknown } | null)?.code;
  if (typeof commanderCode === 'string' && commanderCode.startsWith('commander.')) {
    return { code: (err as { exitCode?: number }).exitCode === 0 ? EXIT_OK : EXIT_USAGE, message: '' };
  }
  return { code: EXIT_USAGE, message: `oresi: unexpected error: ${err instanceof Error ? err.message : String(err)}` };
}
