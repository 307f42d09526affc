import { NAME_PATTERN } from '../intent/names.js';
import { POINT_ID_PATTERN } from '../rollout/rollback-point.js';
/**
 * What a chat user asked for, independent of the platform. Discord fills it from typed command
 * options, Slack from the text after `/oresi`; both go through the same dispatch.
 */
export type ChatCommand =
  | { verb: 'help' }
  | { verb: 'intents' }
  | { verb: 'plan'; intent: string; params: Record<string, string> }
  | { verb: 'run'; intent: string; params: Record<string, string>; reason?: string; pr?: string }
  | { verb: 'runs' }
  | { verb: 'status'; runId: string }
  | { verb: 'approve'; runId: string; comment?: string }
  | { verb: 'deny'; runId: string; reason?: string }
  | { verb: 'cancel'; runId: string }
  | { verb: 'rollout'; stack: string; pull: boolean; dryRun: boolean; reason?: string }
  | { verb: 'rollback'; stack: string; to?: string; reason?: string };

export type Verb = ChatCommand['verb'];
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export const VERBS: readonly Verb[] = ['help', 'intents', 'plan', 'run', 'runs', 'status', 'approve', 'deny', 'cancel', 'rollout', 'rollback'];
// Checked here so a typo gets its answer before anything is claimed or audited (commands check again).
const STACK_NAME = NAME_PATTERN;
const ROLLOUT_ID = POINT_ID_PATTERN;
const PARAM_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const RUN_ID = /^[A-Za-z0-9-]{1,64}$/;
const MAX_TEXT = 1000;

const fail = (message: string): { ok: false; message: string } => ({ ok: false, message });

/** `replicas=2 service=web` → { replicas: '2', service: 'web' }; values are typed by the planner. */
export function parseParams(text: string | undefined): Parsed<Record<string, string>> {
  const params: Record<string, string> = {};
  for (const token of (text ?? '').split(/\s+/).filter(Boolean)) {
    const eq = token.indexOf('=');
    const key = token.slice(0, Math.max(eq, 0));
    if (eq <= 0 || !PARAM_KEY.test(key)) return fail(`parameters are key=value pairs separated by spaces; ${JSON.stringify(token.slice(0, 40))} is not one`);
    if (Object.hasOwn(params, key)) return fail(`parameter ${key} is given twice`);
    // An own property even for `__proto__`, so the planner sees (and refuses) the unknown name.
    Object.defineProperty(params, key, { value: token.slice(eq + 1), enumerable: true, writable: true, configurable: true });
  }
  return { ok: true, value: params };
}

export function checkStackName(value: string | undefined): Parsed<string> {
  if (!value || !STACK_NAME.test(value)) return fail(`a stack name is lowercase letters, digits, '_', '.' and '-' (e.g. media); ${JSON.stringify((value ?? '').slice(0, 40))} is not one`);
  return { ok: true, value };
}

export function checkRolloutId(value: string | undefined): Parsed<string> {
  if (!value || !ROLLOUT_ID.test(value)) return fail('a rollout id is lowercase letters, digits and dashes, as recorded by a rollout');
  return { ok: true, value };
}

export function checkRunId(value: string | undefined): Parsed<string> {
  if (!value || !RUN_ID.test(value)) return fail('a run id is letters, digits and dashes, as shown by /oresi runs');
  return { ok: true, value };
}

/**
 * Splits Slack text into words, honouring "double quotes" so a reason can contain spaces.
 * Slack sends the text as typed (with smart quotes when the client adds them).
 */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /[\u201c"]([^"\u201d]*)[\u201d"]|(\S+)/g;
  for (const m of text.matchAll(re)) tokens.push(m[1] ?? m[2] ?? '');
  return tokens;
}

interface Words { positional: string[]; flags: Map<string, string> }

/** Which options each verb takes; any other is refused rather than silently ignored. */
const VERB_FLAGS: Partial<Record<Verb, readonly string[]>> = {
  run: ['reason', 'pr'],
  approve: ['comment'],
  deny: ['reason'],
  rollout: ['no-pull', 'dry-run', 'reason'],
  rollback: ['to', 'reason'],
};
const SWITCHES = new Set(['no-pull', 'dry-run']);

/**
 * `--reason text…` takes the rest of the line; `--pr ref`, `--comment` and `--to` take one word or
 * a quoted phrase; `--no-pull` and `--dry-run` take nothing.
 */
function splitWords(tokens: string[]): Parsed<Words> {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i] ?? '';
    const flag = /^--(reason|pr|comment|to|no-pull|dry-run)$/.exec(token)?.[1];
    if (!flag) {
      if (token.startsWith('--')) return fail(`unknown option ${JSON.stringify(token.slice(0, 40))}; options are --reason, --pr, --comment, --to, --no-pull, --dry-run`);
      positional.push(token);
      continue;
    }
    if (flags.has(flag)) return fail(`--${flag} is given twice`);
    if (SWITCHES.has(flag)) {
      flags.set(flag, '');
      continue;
    }
    if (flag === 'reason') {
      flags.set(flag, tokens.slice(i + 1).join(' '));
      break;
    }
    const value = tokens[i + 1];
    if (value === undefined) return fail(`--${flag} needs a value`);
    flags.set(flag, value);
    i += 1;
  }
  return { ok: true, value: { positional, flags } };
}

/** The Slack grammar: `<verb> [args…]`, e.g. `run scale-web replicas=2 --pr 12 --reason night`. */
export function parseCommandText(text: string): Parsed<ChatCommand> {
  if (text.length > MAX_TEXT) return fail(`the command is longer than ${MAX_TEXT} characters`);
  const split = splitWords(tokenize(text.trim()));
  if (!split.ok) return split;
  const { positional, flags } = split.value;
  const [verb, first, ...rest] = positional;
  const opt = (name: string) => (flags.has(name) ? { [name]: flags.get(name) ?? '' } : {});
  const v = verb ?? 'help';
  if ((VERBS as readonly string[]).includes(v)) {
    const allowed = VERB_FLAGS[v as Verb] ?? [];
    const extra = [...flags.keys()].find((f) => !allowed.includes(f));
    if (extra) return fail(`${v} takes no --${extra}${allowed.length ? `; its options are ${allowed.map((f) => `--${f}`).join(', ')}` : ''}`);
  }
  switch (v) {
    case 'help': return { ok: true, value: { verb: 'help' } };
    case 'intents': return { ok: true, value: { verb: 'intents' } };
    case 'runs': return { ok: true, value: { verb: 'runs' } };
    case 'plan':
    case 'run': {
      if (!first) return fail(`usage: ${v} <intent> [key=value …]${v === 'run' ? ' [--pr <ref>] [--reason <text>]' : ''}`);
      const params = parseParams(rest.join(' '));
      if (!params.ok) return params;
      if (v === 'plan') return { ok: true, value: { verb: 'plan', intent: first, params: params.value } };
      return { ok: true, value: { verb: 'run', intent: first, params: params.value, ...opt('reason'), ...opt('pr') } };
    }
    case 'status':
    case 'cancel':
    case 'approve':
    case 'deny': {
      const id = checkRunId(first);
      if (!id.ok) return id;
      // A free-text tail counts as the comment/reason, so `deny abc not tonight` reads naturally.
      const tail = rest.join(' ') || undefined;
      if (v === 'approve') return { ok: true, value: { verb: v, runId: id.value, ...withText('comment', flags.get('comment') ?? tail) } };
      if (v === 'deny') return { ok: true, value: { verb: v, runId: id.value, ...withText('reason', flags.get('reason') ?? tail) } };
      return { ok: true, value: { verb: v, runId: id.value } };
    }
    case 'rollout':
    case 'rollback': {
      if (!first) return fail(v === 'rollout' ? 'usage: rollout <stack> [--no-pull] [--dry-run] [--reason <text>]' : 'usage: rollback <stack> [--to <rollout-id>] [--reason <text>]');
      if (rest.length > 0) return fail(`${v} takes one stack; ${JSON.stringify(rest[0]?.slice(0, 40))} is extra`);
      const stack = checkStackName(first);
      if (!stack.ok) return stack;
      if (v === 'rollout') return { ok: true, value: { verb: v, stack: stack.value, pull: !flags.has('no-pull'), dryRun: flags.has('dry-run'), ...opt('reason') } };
      if (!flags.has('to')) return { ok: true, value: { verb: v, stack: stack.value, ...opt('reason') } };
      const to = checkRolloutId(flags.get('to'));
      if (!to.ok) return to;
      return { ok: true, value: { verb: v, stack: stack.value, to: to.value, ...opt('reason') } };
    }
    default:
      return fail(`unknown command ${JSON.stringify(v.slice(0, 40))}; try: ${VERBS.join(', ')}`);
  }
}

function withText<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}
