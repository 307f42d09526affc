import { createContainerInspector } from '../docker/drift-inspect.js';
import { probeDrift, type DriftReport } from '../docker/drift.js';
import { AppError } from '../errors.js';
import { alertFromDrift } from '../notify/events.js';
import type { Finding } from '../policy/drift-types.js';
import { canReadStack } from './access.js';
import type { AppContext } from './types.js';
import type { Caller } from '../model.js';

/**
 * Declared vs running for every stack the caller may read (or one stack). Messages name env
 * keys, never values, but compose errors can appear in problems, so everything is redacted.
 * Every probe also feeds the alerts (see notifyDrift); a read-mode app has no sinks.
 */
export async function probeStacks(ctx: AppContext, caller: Caller, opts: { stack?: string } = {}): Promise<DriftReport> {
  await ctx.stacks.refresh(0);
  if (opts.stack !== undefined && !ctx.stacks.find(opts.stack)) {
    throw new AppError('E_STACK_NOT_FOUND', `no stack named ${JSON.stringify(opts.stack.slice(0, 64))} under ${ctx.config.stacksRoot}`);
  }
  const stacks = ctx.stacks.list().filter((s) => canReadStack(caller, s.name));
  if (opts.stack !== undefined && !stacks.some((s) => s.name === opts.stack)) {
    throw new AppError('E_FORBIDDEN', `${caller.principal.name} may not read stack ${opts.stack}`);
  }
  const inspector = createContainerInspector({ host: ctx.sys.env.DOCKER_HOST || ctx.config.docker.host });
  let report: DriftReport;
  try {
    report = ctx.redactor.redactValue(await probeDrift({
      sys: ctx.sys,
      engine: ctx.engine,
      inspector,
      stacksRoot: ctx.config.stacksRoot,
      stacks,
      dialect: ctx.dialect ?? 'v2',
      passEnv: ctx.config.compose.passEnv,
      ...(opts.stack !== undefined ? { only: opts.stack } : {}),
    }));
  } finally {
    await inspector.close();
  }
  // Projects outside the stacks root are reported by their project name: a caller sees only
  // those its roles could read as stacks, so a probe never names what RBAC hides.
  report = { ...report, findings: report.findings.filter((f) => canReadStack(caller, f.stack)) };
  notifyDrift(ctx.alerts, report);
  return report;
}

/**
 * One alert per checked stack: a problem when it drifted, a quiet `ok` when it is clean, so the
 * notifier suppresses repeats and announces the recovery. A stack that could not be checked
 * says nothing either way: "unknown" must neither raise nor clear a drift problem. Projects
 * outside the stacks root are not stacks, and nothing could ever clear their alert, so they
 * are left to the report.
 */
export function notifyDrift(alerts: Pick<AppContext['alerts'], 'notify'>, report: DriftReport): void {
  const unchecked = new Set(report.problems.map((p) => p.stack));
  // A problem without a stack (git failed) leaves every stack's uncommitted check unknown:
  // what drifted still drifted, but nothing may be declared clean.
  const mayClear = !unchecked.has('');
  for (const stack of report.stacks) {
    if (unchecked.has(stack.name)) continue;
    // Same rule as the exit code: info findings (e.g. digest advice) do not make a stack drifted.
    const lines = report.findings.filter((f) => f.stack === stack.name && f.severity !== 'info').map(describeFinding);
    if (lines.length === 0 && (!stack.clean || !mayClear)) continue;
    alerts.notify(alertFromDrift({ stack: stack.name, findings: lines, at: report.checkedAt }));
  }
}

function describeFinding(f: Finding): string {
  const where = [f.service, f.container].filter(Boolean).join('/');
  return `${f.kind}${where ? ` ${where}` : ''}: ${f.message}`;
}
