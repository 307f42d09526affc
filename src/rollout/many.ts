import { MAX_ROLLOUT_CONCURRENCY } from '../config/rollout-schema.js';
import { AppError } from '../errors.js';

export type ManyResult<T> =
  | { stack: string; ok: true; value: T }
  | { stack: string; ok: false; error: unknown };


/**
 * Runs `fn` for each stack, at most `concurrency` at a time, and answers in the input order.
 * One stack's rejection is that stack's result, never the others' abort: a failed rollout of one
 * stack must not leave the rest half-started.
 */
export async function rolloutMany<T>(
  stacks: readonly string[],
  concurrency: number,
  fn: (stack: string) => Promise<T>,
): Promise<Array<ManyResult<T>>> {
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_ROLLOUT_CONCURRENCY) {
    throw new AppError('E_PARAM_INVALID', `Concurrency must be an integer from 1 to ${MAX_ROLLOUT_CONCURRENCY}, got ${concurrency}.`);
  }
  const unique = [...new Set(stacks)];
  const results: Array<ManyResult<T>> = new Array<ManyResult<T>>(unique.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < unique.length) {
      const i = next;
      next += 1;
      const stack = unique[i] as string;
      try {
        results[i] = { stack, ok: true, value: await fn(stack) };
      } catch (error) {
        results[i] = { stack, ok: false, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, unique.length) }, worker));
  return results;
}
