import { AppError } from '../errors.js';
import type { AuditStore } from './types.js';

/**
 * The store for commands that only read intents and plans: every call fails with
 * E_AUDIT_UNAVAILABLE, so nothing can run without a real store by mistake.
 */
export function createUnavailableAuditStore(reason: string): AuditStore {
  const fail = (): never => {
    throw new AppError('E_AUDIT_UNAVAILABLE', `audit store unavailable: ${reason}`);
  };
  const failAsync = async (): Promise<never> => fail();
  return {
    append: failAsync,
    list: fail,
    verify: fail,
    checkpoint: fail,
    ping: failAsync,
    insertRun: failAsync,
    updateRun: failAsync,
    getRun: fail,
    listRuns: fail,
    markInterrupted: failAsync,
    close: () => undefined,
  };
}
