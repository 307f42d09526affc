import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Redactor } from '../model.js';
import { ErrorCodes, type ErrorCode } from '../errors.js';
import { sendError } from './error-reply.js';
import { SECURITY_HEADERS } from './security-headers.js';

const REASONS: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 414: 'URI Too Long', 431: 'Request Header Fields Too Large' };
/**
 * The parser's one size limit (16 KiB) covers the request line and the headers; when the
 * request line alone takes half of it, the URL is what was too long (414), else the headers (431).
 */
const LONG_REQUEST_LINE = 8 * 1024;
const REQUEST_LINE_START = /^[A-Z]{1,20} \S/;

interface ParserError extends Error { code?: string; rawPacket?: unknown }

/** What the HTTP parser refused, in oresi's terms; nothing of the request is echoed. */
export function describeParserError(err: ParserError): { code: ErrorCode; message: string } {
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { code: 'E_REQUEST_TIMEOUT', message: 'the request was not received in time (server.headersTimeoutSeconds, server.requestTimeoutSeconds)' };
  }
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    const packet = Buffer.isBuffer(err.rawPacket) ? err.rawPacket : Buffer.alloc(0);
    const eol = packet.indexOf('\r\n');
    const requestLine = eol === -1 ? packet.length : eol;
    if (requestLine > LONG_REQUEST_LINE && REQUEST_LINE_START.test(packet.subarray(0, 64).toString('latin1'))) {
      return { code: 'E_URI_TOO_LONG', message: 'the request URL is too long' };
    }
    return { code: 'E_HEADERS_TOO_LARGE', message: 'the request headers are too large' };
  }
  return { code: 'E_BAD_REQUEST', message: 'the request is not valid HTTP/1.1' };
}

/** A whole HTTP/1.1 response, written by hand: no request object exists at this level. */
export function rawErrorResponse(code: ErrorCode, message: string, requestId: string): string {
  const status = ErrorCodes[code].status;
  const body = JSON.stringify({ error: { code, message }, requestId });
  const headers = [
    ...SECURITY_HEADERS.map(([name, value]) => `${name}: ${value}`),
    'content-type: application/json; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
    `x-request-id: ${requestId}`,
    'connection: close',
  ];
  return `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\n${headers.join('\r\n')}\r\n\r\n${body}`;
}

/**
 * The node server's `clientError`: the parser refused the bytes, or a request was not received
 * within the configured bounds. Answered in the contract (headers, envelope) unless a response
 * is already under way on this socket, then closed.
 */
export function createClientErrorHandler(newId: () => string): (err: ParserError, socket: Socket) => void {
  return (err, socket) => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (!socket.writable || inFlight?.headersSent === true) {
      socket.destroy();
      return;
    }
    const { code, message } = describeParserError(err);
    socket.end(rawErrorResponse(code, message, newId()), () => socket.destroy());
  };
}

const FRAMEWORK: Record<string, { status: number; code: ErrorCode; message: string }> = {
  FST_ERR_BAD_URL: { status: 400, code: 'E_BAD_REQUEST', message: 'the request path is not valid percent-encoding' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'E_URI_TOO_LONG', message: 'a path segment of the request is too long' },
};

/**
 * Fastify's router refusals (a path that does not decode, an overlong parameter) come before
 * any hook, so the edge headers are set here.
 */
export function createFrameworkErrorHandler(redactor: Redactor, applyHeaders: (reply: FastifyReply, id: string) => void) {
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    applyHeaders(reply, request.id);
    const known = FRAMEWORK[err.code];
    sendError(request, reply, redactor, known ?? { status: 400, code: 'E_BAD_REQUEST', message: 'the request could not be routed' });
  };
}
