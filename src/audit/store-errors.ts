import { AppError, isAppError } from '../errors.js';

/**
 * Every storage failure (busy past the timeout, disk full, read-only file, I/O error, closed
 * connection) becomes one code, so callers fail closed the same way whatever the cause.
 */
export function toUnavailable(path: string, op: string, err: unknown): AppError {
  if (isAppError(err)) return err;
  const sqliteCode = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  const reason = typeof sqliteCode === 'string' ? `${message} (${sqliteCode})` : message;
  return new AppError('E_AUDIT_UNAVAILABLE', `audit store ${path} cannot ${op}: ${reason}`, {
    op,
    sqliteCode: typeof sqliteCode === 'string' ? sqliteCode : undefined,
  });
}

export function sqliteCodeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
