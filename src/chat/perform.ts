import { AppError, isAppError, type ErrorCode } from '../errors.js';
import { listIntents } from '../commands/intents.js';
import { planRun } from '../commands/plan.js';
import { requestRollback, requestRollout } from '../commands/rollout.js';
import { cancelRun, getRun, listRuns, requestRun } from '../commands/runs.js';
import type { AppContext } from '../commands/types.js';
import type { Caller, IntentSummary, RunRequest, RunView } from '../model.js';
import type { Plan } from '../plan/types.js';
import type { DryRunResult } from '../rollout/types.js';
import { approveFromChat, denyFromChat } from './approval-verbs.js';
import type { ChatCommand } from './chat-command.js';

/** What a chat command produced, before any platform decides how it looks. */
export type ChatResult =
  | { kind: 'help' }
  | { kind: 'intents'; intents: IntentSummary[] }
  | { kind: 'plan'; plan: Plan }
  | { kind: 'run'; run: RunView; verb: ChatCommand['verb'] }
  | { kind: 'runs'; runs: RunView[] }
  | { kind: 'dry-run'; dryRun: DryRunResult }
  | { kind: 'error'; code: ErrorCode; message: string };

const RUNS_SHOWN = 10;

/**
 * The one call a chat edge makes into commands/ per request. Refusals (AppError) become a result
 * the renderers show; anything else is logged and shown as an internal error, never its text.
 */
export async function performChatCommand(ctx: AppContext, caller: Caller, cmd: ChatCommand): Promise<ChatResult> {
  try {
    return await perform(ctx, caller, cmd);
  } catch (err) {
    if (isAppError(err)) return { kind: 'error', code: err.code, message: err.message };
    ctx.logger.error({ err: String(err), verb: cmd.verb, principal: caller.principal.name }, 'chat command failed');
    return { kind: 'error', code: 'E_INTERNAL', message: 'internal error; the server log has the details' };
  }
}

async function perform(ctx: AppContext, caller: Caller, cmd: ChatCommand): Promise<ChatResult> {
  switch (cmd.verb) {
    case 'help': return { kind: 'help' };
    case 'intents': return { kind: 'intents', intents: listIntents(ctx, caller) };
    case 'plan': return { kind: 'plan', plan: await planRun(ctx, caller, { intent: cmd.intent, params: cmd.params }) };
    case 'run': {
      const req: RunRequest = { intent: cmd.intent, params: cmd.params, ...(cmd.reason ? { reason: cmd.reason } : {}), ...(cmd.pr ? { pr: cmd.pr } : {}) };
      return { kind: 'run', verb: 'run', run: await requestRun(ctx, caller, req) };
    }
    case 'runs': return { kind: 'runs', runs: listRuns(ctx, caller, { limit: RUNS_SHOWN }).runs };
    case 'status': return { kind: 'run', verb: 'status', run: getRun(ctx, caller, cmd.runId) };
    // A chat reply must not hang on a slow stop: ask, and let the follow-up show the end.
    case 'cancel': return { kind: 'run', verb: 'cancel', run: await cancelRun(ctx, caller, cmd.runId, 0) };
    case 'approve': return { kind: 'run', verb: 'approve', run: await approveFromChat(ctx, caller, cmd.runId, cmd.comment) };
    case 'deny': return { kind: 'run', verb: 'deny', run: await denyFromChat(ctx, caller, cmd.runId, cmd.reason) };
    case 'rollout': return rollout(ctx, caller, cmd);
    // No waitMs: like `run`, the answer is the started run and the follow-up shows how it ends.
    case 'rollback': return { kind: 'run', verb: 'rollback', run: await requestRollback(ctx, caller, { stack: cmd.stack, ...(cmd.to ? { to: cmd.to } : {}), ...(cmd.reason ? { reason: cmd.reason } : {}) }) };
    default: throw new AppError('E_BAD_REQUEST', 'unknown command');
  }
}

async function rollout(ctx: AppContext, caller: Caller, cmd: Extract<ChatCommand, { verb: 'rollout' }>): Promise<ChatResult> {
  const [result] = await requestRollout(ctx, caller, {
    stacks: [cmd.stack], pull: cmd.pull, dryRun: cmd.dryRun, ...(cmd.reason ? { reason: cmd.reason } : {}),
  });
  if (!result) throw new AppError('E_INTERNAL', `no rollout result for ${cmd.stack}`);
  // One stack: its failure is the request's failure, shown like any other refusal.
  if (!result.ok) throw result.error;
  const value = result.value;
  if ('dryRun' in value && value.dryRun === true) return { kind: 'dry-run', dryRun: value };
  return { kind: 'run', verb: 'rollout', run: value as RunView };
}
