/**
 * The `/oresi` command as Discord's bulk-overwrite endpoint takes it
 * (PUT /applications/{id}/commands). Option types: 1 SUB_COMMAND, 3 STRING, 5 BOOLEAN.
 */
const SUB_COMMAND = 1;
const STRING = 3;
const BOOLEAN = 5;
/** Discord refuses more choices than this; beyond it the intent is typed freely. */
export const MAX_CHOICES = 25;

interface StringOption { type: typeof STRING | typeof BOOLEAN; name: string; description: string; required?: boolean; choices?: Array<{ name: string; value: string }>; max_length?: number }

const runOption = { type: STRING, name: 'run', description: 'run id (from /oresi runs)', required: true, max_length: 64 } as const;

export function buildDiscordCommand(intentNames: readonly string[]) {
  const sorted = [...intentNames].sort();
  const intent: StringOption = {
    type: STRING, name: 'intent', description: 'intent name', required: true, max_length: 63,
    ...(sorted.length > 0 && sorted.length <= MAX_CHOICES ? { choices: sorted.map((n) => ({ name: n, value: n })) } : {}),
  };
  const params: StringOption = { type: STRING, name: 'params', description: 'parameters as key=value pairs separated by spaces', max_length: 1000 };
  const text = (name: string, description: string): StringOption => ({ type: STRING, name, description, max_length: 500 });
  const flag = (name: string, description: string): StringOption => ({ type: BOOLEAN, name, description });
  const stack: StringOption = { type: STRING, name: 'stack', description: 'stack name (its folder under the stacks root)', required: true, max_length: 63 };
  const sub = (name: string, description: string, options: StringOption[] = []) => ({ type: SUB_COMMAND, name, description, options });
  return {
    name: 'oresi',
    type: 1,
    description: 'Run allowlisted intents on Docker Compose stacks',
    options: [
      sub('intents', 'list the intents you may use'),
      sub('plan', 'show the exact commands a run would execute; runs nothing', [intent, params]),
      sub('run', 'run an intent', [intent, params, text('reason', 'why, for the audit trail'), text('pr', 'approving pull request, e.g. owner/repo#123')]),
      sub('runs', 'the latest runs'),
      sub('status', 'one run with its steps', [runOption]),
      sub('approve', 'approve a run waiting for approval', [runOption, text('comment', 'comment for the audit trail')]),
      sub('deny', 'deny a run waiting for approval', [runOption, text('reason', 'why')]),
      sub('cancel', 'cancel a running run', [runOption]),
      sub('rollout', 'pull, up and health-check a stack; rolls back by itself on failure', [
        stack, flag('pull', 'pull images first (default true)'), flag('dry_run', 'show which images would move; runs nothing'), text('reason', 'why, for the audit trail'),
      ]),
      sub('rollback', 'put a stack back on the images recorded before a rollout', [
        stack, { type: STRING, name: 'to', description: 'rollout id to go back to (default: the newest)', max_length: 64 }, text('reason', 'why, for the audit trail'),
      ]),
      sub('help', 'how to use /oresi'),
    ],
  };
}
