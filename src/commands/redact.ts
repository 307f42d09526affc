import { collectStackSecrets } from '../config/stack-secrets.js';
import { createEnvFileRedactor } from '../policy/env-file.js';
import { DEFAULT_POLICY, type RedactionPolicy } from '../policy/policy-schema.js';
import type { Redactor } from '../policy/redact.js';
import { createPolicyRedactor } from '../policy/redact-policy.js';
import type { Sys } from '../sys/sys.js';

/**
 * `oresi redact`: stdin → stdout with secrets removed. `env` mode reads a dotenv file the way
 * redact_env.py did; `text` mode redacts free text (logs, diffs). Both stream with bounded
 * memory, so a 1 GB log passes through in constant space.
 */
export type RedactMode = 'env' | 'text';

export interface RedactStreamOptions {
  input: AsyncIterable<string | Uint8Array> | NodeJS.ReadableStream;
  /** Awaited when it returns a promise, so a slow sink applies backpressure. */
  write: (s: string) => void | Promise<void>;
  mode: RedactMode;
  redactor: Redactor;
  /** Keep rules for `env` mode; defaults to the default policy. */
  policy?: RedactionPolicy;
}

export interface RedactStreamResult {
  /** UTF-16 code units read and written. */
  charsIn: number;
  charsOut: number;
}

export async function redactStream(opts: RedactStreamOptions): Promise<RedactStreamResult> {
  const policy = opts.policy ?? DEFAULT_POLICY.redaction;
  const sink = opts.mode === 'env' ? createEnvFileRedactor(policy, opts.redactor) : opts.redactor.stream();
  // Streaming decode: a multi-byte UTF-8 character split across chunks must not become U+FFFD.
  const decoder = new TextDecoder('utf-8');
  let charsIn = 0;
  let charsOut = 0;
  const emit = async (s: string): Promise<void> => {
    if (s === '') return;
    charsOut += s.length;
    await opts.write(s);
  };
  for await (const chunk of opts.input as AsyncIterable<string | Uint8Array>) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    charsIn += text.length;
    await emit(sink.push(text));
  }
  const tail = decoder.decode();
  charsIn += tail.length;
  await emit(sink.push(tail));
  await emit(sink.end());
  return { charsIn, charsOut };
}

export interface BuildRedactorOptions {
  policy?: RedactionPolicy;
  /** When given (and the policy allows), values from the stacks' .env files are known secrets. */
  stacksRoot?: string;
  fs?: Sys['fs'];
  /** Extra known secrets, e.g. oresi's own keys. */
  secrets?: readonly string[];
}

/** The redactor the CLI uses: built-in and policy patterns plus the stacks' secrets. */
export async function buildRedactor(opts: BuildRedactorOptions = {}): Promise<Redactor> {
  const policy = opts.policy ?? DEFAULT_POLICY.redaction;
  const secrets = [...(opts.secrets ?? [])];
  if (opts.stacksRoot !== undefined && opts.fs) {
    secrets.push(...await collectStackSecrets({ stacksRoot: opts.stacksRoot, fs: opts.fs, policy: { redaction: policy } }));
  }
  return createPolicyRedactor(policy, secrets);
}
