/** The rollout library: what the CLI, the HTTP API and intents call. */
export { performRollout, type PerformRolloutArgs } from './rollout.js';
export { performRollback, type PerformRollbackArgs, type RollbackOutcome, type RollbackResult } from './rollback.js';
export { rolloutMany, type ManyResult, MAX_ROLLOUT_CONCURRENCY } from './many.js';
export { createFileRollbackStore } from './file-store.js';
export { RollbackPoint, type ServicePoint, isValidPointId } from './rollback-point.js';
export type * from './types.js';
