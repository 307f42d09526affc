import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';
import type { Redactor } from '../model.js';
import { createLogDestination, type LogDestination } from './log-destination.js';

export type HttpLoggerOptions = Exclude<NonNullable<FastifyServerOptions['logger']>, boolean>;
type LogMethodHook = NonNullable<NonNullable<HttpLoggerOptions['hooks']>['logMethod']>;
export type HttpLogger = HttpLoggerOptions | FastifyBaseLogger;

/**
 * Header paths that never reach a log line, even if some future code logs a request object.
 * Keys travel in these headers; a log line is read by more people than the key should be.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers.cookie',
];

// C0 and C1 controls, DEL, and the JS line/paragraph separators: anything that could forge a
// new line or a terminal escape in a log viewer.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
// The same class without /g (a /g regex's test() is stateful): most texts have nothing to escape.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const HAS_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Makes control characters visible (`\n` → `\x0a`) so a logged value cannot forge log lines. */
export function escapeControl(text: string): string {
  if (!HAS_CONTROL.test(text)) return text;
  return text.replace(CONTROL, (ch) => {
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Escaped, redacted and cut to `max` characters: the form of every caller-influenced log field. */
export function safeLogText(redactor: Redactor, text: string, max = 512): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return escapeControl(redactor.redact(cut));
}

function isLoggerInstance(logger: HttpLogger): logger is FastifyBaseLogger {
  return typeof (logger as Partial<FastifyBaseLogger>).child === 'function' && typeof (logger as Partial<FastifyBaseLogger>).info === 'function';
}

function serializers(redactor: Redactor) {
  return {
    err: (err: { name?: string; message?: string; stack?: string; code?: string }) => ({
      type: String(err?.name ?? 'Error'),
      message: safeLogText(redactor, String(err?.message ?? ''), 2000),
      stack: redactor.redact(String(err?.stack ?? '')),
      ...(err?.code ? { code: String(err.code) } : {}),
    }),
    req: (req: { method?: string; url?: string }) => ({
      method: escapeControl(String(req.method ?? '')),
      url: safeLogText(redactor, String(req.url ?? '')),
    }),
    res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
  };
}

/**
 * Fastify logger settings with header redaction, control-character escaping and the secret
 * redactor applied to every string message. An instance passed in is wrapped in a child with
 * the same redaction and serializers (its hooks cannot be changed after creation).
 */
export function buildLoggerSettings(logger: HttpLogger, redactor: Redactor):
  { logger: HttpLoggerOptions; destination?: LogDestination } | { loggerInstance: FastifyBaseLogger; destination?: undefined } {
  if (isLoggerInstance(logger)) {
    return { loggerInstance: logger.child({}, { redact: { paths: REDACT_PATHS, censor: '[redacted]' }, serializers: serializers(redactor) }) };
  }
  const extra = Array.isArray(logger.redact) ? logger.redact : logger.redact?.paths ?? [];
  // stdout or a file: lines written per event-loop turn (log-destination.ts); a given stream is used as is.
  const { file, ...options } = logger;
  const destination = options.stream ? undefined : createLogDestination(file ?? 1);
  return {
    ...(destination ? { destination } : {}),
    logger: {
      ...options,
      ...(destination ? { stream: destination } : {}),
      redact: { paths: [...REDACT_PATHS, ...extra], censor: '[redacted]' },
      serializers: { ...logger.serializers, ...serializers(redactor) },
      hooks: {
        ...logger.hooks,
        logMethod: function (args, method) {
          // Copied only when a string argument actually changes (the common case changes nothing).
          let safe: unknown[] = args;
          for (let i = 0; i < args.length; i++) {
            const arg: unknown = args[i];
            if (typeof arg !== 'string') continue;
            const clean = safeLogText(redactor, arg, 4000);
            if (clean === arg) continue;
            if (safe === args) safe = [...args];
            safe[i] = clean;
          }
          return method.apply(this, safe as Parameters<typeof method>);
        } satisfies LogMethodHook,
      },
    },
  };
}
