import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { describeValidation, toHttpError } from './error-reply.js';

describe('toHttpError', () => {
  it('keeps AppError status and code, with Retry-After for rate limits', () => {
    expect(toHttpError(new AppError('E_STACK_BUSY', 'busy'))).toEqual({ status: 409, code: 'E_STACK_BUSY', message: 'busy' });
    expect(toHttpError(new AppError('E_RATE_LIMITED', 'slow down', { retryAfterSeconds: 7 })))
      .toEqual({ status: 429, code: 'E_RATE_LIMITED', message: 'slow down', headers: { 'retry-after': '7' } });
  });

  it('maps Fastify body errors to stable codes', () => {
    const fst = (code: string, statusCode: number) => Object.assign(new Error('x'), { code, statusCode });
    expect(toHttpError(fst('FST_ERR_CTP_BODY_TOO_LARGE', 413))).toMatchObject({ status: 413, code: 'E_PAYLOAD_TOO_LARGE' });
    expect(toHttpError(fst('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415))).toMatchObject({ status: 415, code: 'E_UNSUPPORTED_MEDIA_TYPE' });
    expect(toHttpError(fst('FST_ERR_CTP_INVALID_JSON_BODY', 400))).toMatchObject({ status: 400, code: 'E_BAD_REQUEST', message: 'the request body is not valid JSON' });
    expect(toHttpError(fst('FST_ERR_SOMETHING', 418))).toMatchObject({ status: 400, code: 'E_BAD_REQUEST' });
  });

  it('hides anything unexpected behind a generic 500', () => {
    const mapped = toHttpError(new TypeError('cannot read x of /srv/secret'));
    expect(mapped).toMatchObject({ status: 500, code: 'E_INTERNAL' });
    expect(mapped.message).not.toContain('secret');
  });
});

describe('describeValidation', () => {
  it('names the field in request terms', () => {
    expect(describeValidation('body', [{ instancePath: '/params/replicas', message: 'expected number' }])).toBe('body.params.replicas: expected number');
    expect(describeValidation('querystring', [{ instancePath: '/', message: 'bad' }, { instancePath: '/limit', message: 'too big' }]))
      .toBe('querystring: bad; querystring.limit: too big');
  });
});
