import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redactor } from '../model.js';
import { ErrorCodes, isAppError, type ErrorCode } from '../errors.js';
import { echoPath } from './echo-path.js';
import { toStorageError } from '../storage-fault.js';
import { pathOf } from './request-log.js';

export interface HttpError {
  status: number;
  code: ErrorCode;
  message: string;
  headers?: Record<string, string>;
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
  requestId: string;
}

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'E_BAD_REQUEST',
  404: 'E_NOT_FOUND',
  408: 'E_REQUEST_TIMEOUT',
  413: 'E_PAYLOAD_TOO_LARGE',
  414: 'E_URI_TOO_LONG',
  415: 'E_UNSUPPORTED_MEDIA_TYPE',
  429: 'E_RATE_LIMITED',
  431: 'E_HEADERS_TOO_LARGE',
};

const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'the request body is not valid JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'the request body is empty but Content-Type is application/json; send {} or no Content-Type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'the request body is larger than server.bodyLimitBytes',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported Content-Type; send application/json',
};

interface ValidationIssue { instancePath?: string; message?: string; params?: { keys?: unknown } }

/** "body.params.replicas: expected number" — names the field, in the request's own terms. */
export function describeValidation(context: string | undefined, issues: readonly ValidationIssue[]): string {
  return issues.slice(0, 5).map((issue) => {
    const path = (issue.instancePath ?? '').split('/').filter(Boolean).join('.');
    const where = [context ?? 'request', path].filter(Boolean).join('.');
    return `${where}: ${issue.message ?? 'invalid'}`;
  }).join('; ');
}

/** Maps anything thrown while handling a request to a status, a stable code and a safe message. */
export function toHttpError(thrown: unknown): HttpError {
  // A write to durable state that the disk refused is unavailability, wherever it was thrown.
  const err = toStorageError('to the data dir', thrown);
  if (isAppError(err)) {
    const details = err.details as { retryAfterSeconds?: unknown } | undefined;
    const retry = typeof details?.retryAfterSeconds === 'number' ? { 'retry-after': String(details.retryAfterSeconds) } : undefined;
    return { status: err.status, code: err.code, message: err.message, ...(retry ? { headers: retry } : {}) };
  }
  const fe = err as Partial<FastifyError> & { validation?: ValidationIssue[] };
  if (Array.isArray(fe.validation)) {
    return { status: 400, code: 'E_BAD_REQUEST', message: describeValidation(fe.validationContext, fe.validation) };
  }
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
  if (status >= 400 && status < 500) {
    const code = STATUS_CODES[status] ?? 'E_BAD_REQUEST';
    const message = (fe.code && FASTIFY_MESSAGES[fe.code]) || String(fe.message ?? 'bad request');
    return { status: ErrorCodes[code].status, code, message };
  }
  return { status: 500, code: 'E_INTERNAL', message: 'internal error; the server log has the details (search for the request id)' };
}

export function errorBody(request: FastifyRequest, redactor: Redactor, code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message: redactor.redact(message) }, requestId: request.id };
}

/**
 * Sends the error and returns nothing: handing the reply back to Fastify would make it wait for
 * the response to finish (Reply.then), which responses held to the end of the turn make costly
 * (turn-batch.ts). Routes likewise set the status and return the payload, not the reply.
 */
export function sendError(request: FastifyRequest, reply: FastifyReply, redactor: Redactor, e: HttpError, extra: object = {}): void {
  if (e.headers) reply.headers(e.headers);
  reply.code(e.status).type('application/json; charset=utf-8').send({ ...errorBody(request, redactor, e.code, e.message), ...extra });
}

/** The one place errors become HTTP responses for this edge. */
export function registerErrorHandlers(app: FastifyInstance, redactor: Redactor): void {
  app.setErrorHandler((err, request, reply) => {
    const mapped = toHttpError(err);
    if (mapped.status >= 500 && mapped.code === 'E_INTERNAL') request.log.error({ err }, 'unhandled error');
    else if (mapped.status >= 500) request.log.warn({ code: mapped.code, err }, 'service unavailable');
    sendError(request, reply, redactor, mapped);
  });
  app.setNotFoundHandler((request, reply) => {
    sendError(request, reply, redactor, { status: 404, code: 'E_NOT_FOUND', message: `no route ${request.method.slice(0, 20)} ${echoPath(pathOf(request.url))}` });
  });
}
