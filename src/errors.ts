/**
 * Stable, user-visible error codes. A script matches on `code`; a person acts on `message`.
 * Expected outcomes (a busy stack, a non-zero exit) are data, not errors: throw AppError only
 * for what the caller cannot handle, and map it in one place per edge.
 */
export const ErrorCodes = {
  E_CONFIG_INVALID: { status: 500, exit: 2 },
  E_INTENT_INVALID: { status: 400, exit: 1 },
  E_INTENT_NOT_FOUND: { status: 404, exit: 2 },
  E_PARAM_INVALID: { status: 400, exit: 2 },
  E_STACK_NOT_FOUND: { status: 404, exit: 2 },
  E_STACK_INVALID: { status: 400, exit: 2 },
  E_STACK_BUSY: { status: 409, exit: 1 },
  E_SERVICE_UNKNOWN: { status: 400, exit: 2 },
  E_UNAUTHENTICATED: { status: 401, exit: 2 },
  E_FORBIDDEN: { status: 403, exit: 2 },
  E_NOT_FOUND: { status: 404, exit: 2 },
  E_BAD_REQUEST: { status: 400, exit: 2 },
  E_CONFLICT: { status: 409, exit: 1 },
  E_REQUEST_TIMEOUT: { status: 408, exit: 2 },
  E_PAYLOAD_TOO_LARGE: { status: 413, exit: 2 },
  E_URI_TOO_LONG: { status: 414, exit: 2 },
  E_UNSUPPORTED_MEDIA_TYPE: { status: 415, exit: 2 },
  E_RATE_LIMITED: { status: 429, exit: 1 },
  E_HEADERS_TOO_LARGE: { status: 431, exit: 2 },
  E_AUDIT_UNAVAILABLE: { status: 503, exit: 2 },
  E_NOT_READY: { status: 503, exit: 2 },
  E_ENGINE_UNAVAILABLE: { status: 503, exit: 2 },
  E_APPROVAL_REQUIRED: { status: 403, exit: 1 },
  E_INTERNAL: { status: 500, exit: 2 },
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ErrorCodes[this.code].status;
  }

  get exitCode(): number {
    return ErrorCodes[this.code].exit;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
