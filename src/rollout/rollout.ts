import { AppError } from '../errors.js';
import { buildPullArgv, buildTagArgv, buildUpArgv, checkServices } from './argv.js';
import { captureRollbackPoint, readDeclaredServices } from './capture.js';
import { dryRunRollout } from './dry-run.js';
import { summarizeHealth, waitForHealth } from './health.js';
import { restorePoint } from './restore.js';
import { isValidPointId, type RollbackPoint } from './rollback-point.js';
import { describeStepFailure, runHooked, stepSucceeded } from './spawn.js';
import type { DryRunResult, HealthReport, RolloutContext, RolloutOptions, RolloutResult, RolloutStep } from './types.js';

export interface PerformRolloutArgs extends RolloutContext {
  options: RolloutOptions;
}

/**
 * Health-checked rollout of one stack: record what runs (the rollback point), tag those images so
 * a prune cannot take them, pull, `up`, wait for health; on failure put the recorded images back
 * and verify they run. Outcomes are data; a rejecting `beforeSpawn` hook rejects this call.
 * The caller holds the stack lock.
 */
export async function performRollout(args: PerformRolloutArgs): Promise<RolloutResult | DryRunResult> {
  const { options } = args;
  const rolloutId = options.rolloutId ?? args.sys.newId();
  if (!isValidPointId(rolloutId)) {
    throw new AppError('E_PARAM_INVALID', `Rollout id ${JSON.stringify(rolloutId)} must match ^[a-z0-9][a-z0-9-]{0,63}$.`);
  }
  const scope = checkServices(args.facts, options.services);
  if (options.dryRun) return dryRunRollout(args, rolloutId, scope, options.pull);
  return runRollout(args, rolloutId, scope);
}

async function runRollout(args: PerformRolloutArgs, rolloutId: string, scope: string[] | undefined): Promise<RolloutResult> {
  const { options, facts, sys } = args;
  const t0 = sys.monotonic();
  const steps: RolloutStep[] = [];
  let point: RollbackPoint | null = null;
  let changed = false;
  let health: HealthReport | null = null;
  const done = (outcome: RolloutResult['outcome'], reason?: string, rollback: RolloutResult['rollback'] = null): RolloutResult => ({
    dryRun: false, rolloutId, stack: facts.name, outcome, ...(reason === undefined ? {} : { reason }),
    changed, point, steps, health, rollback, durationMs: sys.monotonic() - t0,
  });
  const run = async (phase: RolloutStep['phase'], argv: string[], description: string) => {
    const step = await runHooked(args, options, phase, argv, description);
    steps.push(step);
    return step;
  };
  const cancelledNote = () => (changed ? ' after up: the stack may run the new images; roll back to this rollout id if needed' : '');

  if (args.signal?.aborted) return done('cancelled', 'cancelled before anything ran');
  const declared = await readDeclaredServices(args);
  const captured = await captureRollbackPoint(args, rolloutId, scope ?? facts.services, declared.images);
  if (captured.services.length > 0) {
    point = captured;
    await args.store.save(point);
  }

  for (const sp of point?.services ?? []) {
    const step = await run('protect', buildTagArgv(sp.imageId, sp.rollbackTag), `protect the image ${sp.service} runs as ${sp.rollbackTag}`);
    if (step.result?.cancelled) return done('cancelled', 'cancelled before anything changed');
    if (!stepSucceeded(step)) return done('failed', `nothing changed: ${describeStepFailure(step)}`);
  }
  if (options.pull) {
    const step = await run('pull', buildPullArgv(args.dialect, facts, scope), `pull images of stack ${facts.name}`);
    if (step.result?.cancelled) return done('cancelled', 'cancelled before anything changed');
    if (!stepSucceeded(step)) return done('failed', `nothing changed: ${describeStepFailure(step)}`);
  }

  const up = await run('up', buildUpArgv(args.dialect, facts, scope), `up stack ${facts.name}`);
  changed = true;
  if (up.result?.cancelled) return done('cancelled', `cancelled${cancelledNote()}`);
  if (stepSucceeded(up)) {
    health = await waitForHealth(args, scope ?? declared.expected, options);
    if (health.cancelled) return done('cancelled', `cancelled${cancelledNote()}`);
    if (health.healthy) return done('succeeded');
  }
  const failure = stepSucceeded(up) && health ? `stack ${facts.name} is ${summarizeHealth(health)}` : describeStepFailure(up);
  if (!point) return done('failed', `${failure}; no rollback point (no service of the stack was running before)`);

  const restore = await restorePoint(args, options, point, scope);
  steps.push(...restore.steps);
  if (restore.report.verified) return done('rolled_back', `${failure}; rolled back to the recorded images`, restore.report);
  return done('rollback_failed', `${failure}; rollback failed: ${restore.reason ?? 'not verified'}`, restore.report);
}
