import { runArgv } from '../exec/run-argv.js';
import type { ArgvResult } from '../exec/types.js';
import type { CommandLimits, RolloutContext, RolloutStep, StepPhase } from './types.js';

export const DEFAULT_COMMAND_TIMEOUT_MS = 10 * 60_000;
const DEFAULT_KILL_GRACE_MS = 5000;
const DEFAULT_MAX_OUTPUT = 256 * 1024;

export type SpawnDeps = Pick<RolloutContext, 'sys' | 'env' | 'hooks' | 'signal'>;

/**
 * The one place a rollout starts a process: the hook first (a rejection propagates and nothing
 * spawns), then the argv without a shell, then the hook again with the result.
 */
export async function spawnHooked(
  deps: SpawnDeps,
  cwd: string,
  limits: CommandLimits,
  argv: string[],
  description: string,
): Promise<ArgvResult> {
  await deps.hooks.beforeSpawn([...argv], description);
  const result = await runArgv(deps.sys, argv, {
    cwd,
    env: deps.env,
    timeoutMs: limits.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    killGraceMs: limits.killGraceMs ?? DEFAULT_KILL_GRACE_MS,
    maxOutputBytes: limits.maxOutputBytes ?? DEFAULT_MAX_OUTPUT,
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  await deps.hooks.afterSpawn([...argv], result);
  return result;
}

/** A step of a stack's rollout, run in the stack folder. */
export async function runHooked(
  ctx: RolloutContext,
  limits: CommandLimits,
  phase: StepPhase,
  argv: string[],
  description: string,
): Promise<RolloutStep> {
  const result = await spawnHooked(ctx, ctx.facts.dir, limits, argv, description);
  return { phase, description, argv, result };
}

export function stepSucceeded(step: RolloutStep): boolean {
  return isCleanExit(step.result);
}

export function isCleanExit(r: ArgvResult | undefined): boolean {
  return r !== undefined && r.exitCode === 0 && !r.timedOut && !r.cancelled && r.spawnError === undefined;
}

/** Why a step failed, in one line, for the result's reason. */
export function describeStepFailure(step: RolloutStep): string {
  const r = step.result;
  if (!r) return `${step.description}: not run`;
  if (r.spawnError !== undefined) return `${step.description}: could not start (${r.spawnError})`;
  if (r.cancelled) return `${step.description}: cancelled`;
  if (r.timedOut) return `${step.description}: timed out`;
  const last = r.stderr.trim().split('\n').pop()?.slice(0, 300) ?? '';
  return `${step.description}: exit ${r.exitCode ?? r.signal ?? '?'}${last ? ` (${last})` : ''}`;
}
