import { createContainerInspector } from '../docker/drift-inspect.js';
import { probeDrift, type DriftReport } from '../docker/drift.js';
import { AppError } from '../errors.js';
import { canReadStack } from './access.js';
import type { AppContext, Caller } from './types.js';

/**
 * Declared vs running for every stack the caller may read (or one stack). Messages name env
 * keys, never values, but compose errors can appear in problems, so everything is redacted.
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
  try {
    const report = await probeDrift({
      sys: ctx.sys,
      engine: ctx.engine,
      inspector,
      stacksRoot: ctx.config.stacksRoot,
      stacks,
      dialect: ctx.dialect ?? 'v2',
      passEnv: ctx.config.compose.passEnv,
      ...(opts.stack !== undefined ? { only: opts.stack } : {}),
    });
    return ctx.redactor.redactValue(report);
  } finally {
    await inspector.close();
  }
}
