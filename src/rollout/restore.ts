import { buildRestoreUpArgv } from './argv.js';
import { summarizeHealth, waitForHealth } from './health.js';
import { choosePin } from './image-ref.js';
import { buildOverrideYaml, readComposeFileVersion } from './override.js';
import type { RollbackPoint, ServicePoint } from './rollback-point.js';
import { describeStepFailure, runHooked, stepSucceeded } from './spawn.js';
import type { CommandLimits, HealthOptions, RestoreReport, RolloutContext, RolloutStep } from './types.js';

export interface RestoreResult {
  report: RestoreReport;
  steps: RolloutStep[];
  /** One sentence; absent when verified. */
  reason?: string;
}

/**
 * Puts the point's services back on their recorded images: an override (in the data dir, never
 * the stack folder) pins each `image:`, `up --detach` runs with the stack's file plus the
 * override, then health is awaited and the running image ids are compared with the record.
 * Only a rollback that passes both is `verified`.
 */
export async function restorePoint(
  ctx: RolloutContext,
  opts: HealthOptions & CommandLimits,
  point: RollbackPoint,
  scope: readonly string[] | undefined,
): Promise<RestoreResult> {
  const targets = point.services.filter((s) => scope === undefined || scope.includes(s.service));
  const pins: Record<string, string> = {};
  const unavailable: string[] = [];
  for (const sp of targets) {
    const pin = await resolvePin(ctx, sp);
    if (pin === null) unavailable.push(sp.service);
    else pins[sp.service] = pin;
  }
  const pinned = Object.keys(pins);
  const version = await readComposeFileVersion(ctx.sys.fs, ctx.facts.composeFile);
  const overrideFile = await ctx.store.writeOverride(point.stack, point.id, buildOverrideYaml(pins, version));
  const report: RestoreReport = { pointId: point.id, overrideFile, pins, health: null, mismatches: [], verified: false };
  if (pinned.length === 0) {
    return { report, steps: [], reason: `no recorded image of point ${point.id} is still available` };
  }

  const argv = buildRestoreUpArgv(ctx.dialect, ctx.facts, overrideFile, scope === undefined ? undefined : pinned);
  const step = await runHooked(ctx, opts, 'rollback-up', argv, `roll back stack ${point.stack} to rollout ${point.id}`);
  if (stepSucceeded(step)) report.health = await waitForHealth(ctx, pinned, opts);
  report.mismatches = await compareRunning(ctx, targets);
  report.verified = stepSucceeded(step) && report.health?.healthy === true && report.mismatches.length === 0;

  let reason: string | undefined;
  if (!stepSucceeded(step)) reason = describeStepFailure(step);
  else if (report.health && !report.health.healthy) reason = `after the rollback the stack is ${summarizeHealth(report.health)}`;
  else if (report.mismatches.length > 0) reason = `after the rollback ${report.mismatches.map((m) => m.service).join(', ')} run other images than recorded`;
  if (unavailable.length > 0) {
    const note = `the recorded image of ${unavailable.join(', ')} is gone (no tag, no digest)`;
    reason = reason ? `${reason}; ${note}` : note;
  }
  return { report, steps: [step], ...(reason === undefined ? {} : { reason }) };
}

/**
 * The digest (or the rollback tag) when it still names the recorded image locally; a digest that
 * is not local is still used, since compose then pulls exactly that content. Without either, the
 * image is gone and a pin would make compose pull `oresi-rollback/...` from a public registry.
 */
async function resolvePin(ctx: RolloutContext, sp: ServicePoint): Promise<string | null> {
  const preferred = choosePin(sp);
  const candidates = preferred === sp.rollbackTag ? [sp.rollbackTag] : [preferred, sp.rollbackTag];
  for (const ref of candidates) {
    const info = await ctx.engine.inspectImage(ref).catch(() => null);
    if (info?.id === sp.imageId) return ref;
  }
  return preferred === sp.rollbackTag ? null : preferred;
}

async function compareRunning(ctx: RolloutContext, targets: readonly ServicePoint[]): Promise<RestoreReport['mismatches']> {
  const containers = await ctx.engine.listComposeContainers();
  const out: RestoreReport['mismatches'] = [];
  for (const sp of targets) {
    const running = containers
      .filter((c) => c.project === ctx.facts.name && c.service === sp.service && c.state === 'running' && c.labels['com.docker.compose.oneoff'] !== 'True')
      .map((c) => c.imageId);
    if (running.length === 0 || running.some((id) => id !== sp.imageId)) {
      out.push({ service: sp.service, expected: sp.imageId, running: [...new Set(running)] });
    }
  }
  return out;
}
