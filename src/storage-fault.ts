import { AppError } from './errors.js';

/** errno codes that mean "the storage cannot take this write", not "the request is wrong". */
const STORAGE_ERRNOS: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EIO']);

export function isStorageFault(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && STORAGE_ERRNOS.has(code);
}

/**
 * The one mapping of a failed write to durable state (stack lock files, the data dir) onto the
 * storage code the audit store uses too, so a full or read-only disk is a 503 with nothing run,
 * whichever file hit it first. Anything else is returned unchanged: it is not a storage fault.
 */
export function toStorageError(what: string, err: unknown): unknown {
  if (!isStorageFault(err)) return err;
  const code = (err as { code: string }).code;
  return new AppError('E_AUDIT_UNAVAILABLE', `cannot write ${what}: the storage refused it (${code}); free space or fix the file system, then retry`, { errno: code });
}
