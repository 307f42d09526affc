import { z } from 'zod';
import type { Sys } from '../sys/sys.js';
import { splitPatchByFile } from './diff-parse.js';
import { MODEL_CONTRACT, parseModelAnswer, type ModelAnswer } from './model-schema.js';
import type { ReviewPolicyFile } from './review-policy-schema.js';
import { isEnvFilePath } from './service-changes.js';
import { CATEGORIES, type ReviewReport } from './types.js';

/**
 * The optional second opinion from an OpenAI-compatible chat endpoint. Everything sent passes
 * `redact` first (the caller gives the thorough redactor: patterns, known secrets, secretlint),
 * env files are left out entirely, and any failure is an answer `{ok:false}`, never a throw.
 */
export interface ModelEndpoint {
  /** Base URL (`http://127.0.0.1:11434`, `https://api.example/v1`) or the full completions URL. */
  url: string;
  model: string;
  apiKey?: string | undefined;
  timeoutMs?: number;
}

export interface ModelRequestInput {
  patch: string;
  prBody: string | null;
  report: ReviewReport;
  policy: ReviewPolicyFile;
  redact: (text: string) => Promise<string>;
}

export type ModelOutcome = { ok: true; answer: ModelAnswer } | { ok: false; reason: string };

const PATCH_MAX_CHARS = 100_000;
const RESPONSE_MAX_CHARS = 1_000_000;

const Completion = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string() }) })).min(1),
});

export function completionsUrl(url: string): string {
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('the model URL must be http(s)');
  const path = u.pathname.replace(/\/+$/, '');
  if (path.endsWith('/chat/completions')) return u.toString();
  u.pathname = path.endsWith('/v1') ? `${path}/chat/completions` : `${path}/v1/chat/completions`;
  return u.toString();
}

/** The diff as the model sees it: env files replaced by a note, long diffs cut. */
export function patchForModel(patch: string, policy: ReviewPolicyFile): string {
  const parts = splitPatchByFile(patch).map((c) =>
    isEnvFilePath(c.path, policy.guardrails) ? `diff --git a/${c.path} b/${c.path}\n(env file contents omitted)\n` : c.text);
  const text = parts.join('');
  return text.length <= PATCH_MAX_CHARS ? text : `${text.slice(0, PATCH_MAX_CHARS)}\n(diff cut at ${PATCH_MAX_CHARS} characters)\n`;
}

export async function buildModelMessages(input: ModelRequestInput): Promise<{ role: 'system' | 'user'; content: string }[]> {
  const system = [
    'You are a second reviewer of a pull request to a GitOps repository of Docker Compose stacks.',
    `A deterministic rubric already scored it 0-5 in: ${CATEGORIES.join(', ')}.`,
    'Point out problems it missed. You cannot raise a score. Values shown as ***REDACTED*** were removed on purpose.',
    MODEL_CONTRACT,
  ].join('\n');
  const summary = {
    score: input.report.score,
    block: input.report.block,
    categories: Object.fromEntries(CATEGORIES.map((c) => [c, input.report.categories[c].score])),
    findings: input.report.findings,
  };
  const user = [
    '## Deterministic review', JSON.stringify(summary, null, 1),
    '## PR body', input.prBody ?? '(none)',
    '## Diff', patchForModel(input.patch, input.policy),
  ].join('\n\n');
  return [{ role: 'system', content: await input.redact(system) }, { role: 'user', content: await input.redact(user) }];
}

export async function askReviewerModel(sys: Sys, endpoint: ModelEndpoint, input: ModelRequestInput): Promise<ModelOutcome> {
  let url: string;
  try {
    url = completionsUrl(endpoint.url);
  } catch (err) {
    return { ok: false, reason: `bad model URL: ${(err as Error).message}` };
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), endpoint.timeoutMs ?? 120_000);
  try {
    const res = await sys.fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {}),
      },
      body: JSON.stringify({ model: endpoint.model, temperature: 0, messages: await buildModelMessages(input) }),
      signal: controller.signal,
      redirect: 'error',
    });
    const text = await res.text();
    if (!res.ok) return { ok: false, reason: `HTTP ${res.status} from the model endpoint` };
    if (text.length > RESPONSE_MAX_CHARS) return { ok: false, reason: 'the model answer is too large' };
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { ok: false, reason: 'the endpoint did not answer with JSON' };
    }
    const completion = Completion.safeParse(body);
    if (!completion.success) return { ok: false, reason: 'the endpoint answer is not a chat completion' };
    const parsed = parseModelAnswer(completion.data.choices[0]?.message.content ?? '');
    return parsed.ok ? parsed : { ok: false, reason: `the model's answer ${parsed.reason}` };
  } catch (err) {
    const why = controller.signal.aborted ? 'timed out' : (err as Error).message;
    return { ok: false, reason: `model endpoint unreachable: ${why}` };
  } finally {
    clearTimeout(timer);
  }
}
