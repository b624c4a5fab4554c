import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODES, LlmctlError, type ErrorCode } from '@llmctl/contracts';
import { classifyStoreError } from '@llmctl/runtime';
import { errorEnvelope } from './envelope.ts';
import { correlationIdOf } from './request-context.ts';

/** Longest path parameter the router matches (Fastify `maxParamLength`); a longer one is `404 not_found`. */
export const MAX_PARAM_LENGTH = 1000;

/** An error ready for the envelope. */
export interface MappedError {
  status: number;
  code: ErrorCode;
  message: string;
  details: Record<string, unknown>;
  retryable: boolean;
}

function mapped(code: ErrorCode, message: string, details: Record<string, unknown> = {}, status?: number): MappedError {
  const info = ERROR_CODES[code] as { http?: number; retryable: boolean };
  return { status: status ?? info.http ?? 422, code, message, details, retryable: info.retryable };
}

/**
 * Maps anything thrown to an envelope error. `LlmctlError`s keep their code (HTTP status from the registry; codes
 * without one, such as engine codes, are 422); Fastify's body and routing errors get their coded 4xx; anything else
 * is `500 internal` with a generic message (the stack is logged, never sent).
 */
export function mapError(err: unknown, bodyLimit: number): MappedError {
  if (err instanceof LlmctlError) {
    const info = ERROR_CODES[err.code] as { http?: number };
    return { status: info.http ?? 422, code: err.code, message: err.message, details: err.details, retryable: err.retryable };
  }
  const fe = err as Partial<FastifyError> & { status?: number };
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return mapped('payload_too_large', `The request body is larger than the limit of ${bodyLimit} bytes.`, { limit_bytes: bodyLimit });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return mapped('unsupported_media_type', 'Send the request body as JSON with Content-Type: application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return mapped('validation_failed', 'The request body is empty; send a JSON value.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return mapped('validation_failed', `The request body is not valid JSON: ${fe.message ?? ''}`.trim());
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return mapped('validation_failed', 'The Content-Length header does not match the body.');
    case 'FST_ERR_BAD_URL':
      return mapped('validation_failed', 'The URL is not valid: a path segment has a malformed percent-encoding.', { errors: [{ path: 'url', message: 'malformed percent-encoding' }] });
    case 'FST_ERR_MAX_PARAM_LENGTH':
      // api.md: malformed ids, over-long ones included, are 404 not_found.
      return mapped('not_found', 'No such resource: a path parameter is longer than any id.', { max_length: MAX_PARAM_LENGTH });
    default:
      break;
  }
  if (Array.isArray(fe.validation)) {
    return mapped('validation_failed', fe.message ?? 'The request is invalid.', {
      errors: fe.validation.map((v) => ({ path: `${fe.validationContext ?? ''}${v.instancePath ?? ''}`, message: v.message ?? 'invalid' })),
    });
  }
  const status = fe.statusCode ?? fe.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 404) return mapped('not_found', fe.message ?? 'Not found.');
    if (status === 413) return mapped('payload_too_large', fe.message ?? 'The request body is too large.', { limit_bytes: bodyLimit });
    if (status === 415) return mapped('unsupported_media_type', fe.message ?? 'Unsupported media type.');
    if (status === 429) return mapped('rate_limited', fe.message ?? 'Too many requests.');
    return mapped('validation_failed', fe.message ?? 'The request is invalid.');
  }
  if (status === 503) return mapped('unavailable', 'The service is not ready; retry shortly.');
  // The database is down or cut off (connection refused / reset / terminated): 503, retry later, not a bare 500.
  if (classifyStoreError(err) === 'transient') return mapped('unavailable', 'The database is unreachable; retry shortly.', { database: 'unreachable' });
  return mapped('internal', 'An unexpected server error occurred. The request id identifies it in the server logs.');
}

/** Installs the one error handler (before any route, so every route uses it): failures leave as the error envelope. */
export function installErrorHandler(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((err, request, reply) => {
    const m = mapError(err, bodyLimit);
    if (m.status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ code: m.code, status: m.status }, m.message);
    return reply.code(m.status).type('application/json; charset=utf-8').send(errorEnvelope(request, m));
  });
}

/**
 * Fastify's `frameworkErrors` option: errors raised before routing (a malformed percent-encoding, an over-long path
 * parameter) leave as the envelope too, with the request and correlation id headers every response carries.
 */
export function frameworkErrorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const m = mapError(err, 0);
  const correlationId = correlationIdOf(request.raw, request.id);
  request.correlationId = correlationId;
  request.log.info({ code: m.code, status: m.status, fastify_code: err.code }, m.message);
  void reply.code(m.status).header('x-request-id', request.id).header('x-correlation-id', correlationId)
    .type('application/json; charset=utf-8').send(errorEnvelope(request, m));
}

/** Installs the 404 handler: `fallback` (the studio's SPA pages) first, else the `not_found` envelope. */
export function installNotFound(app: FastifyInstance, notFound?: (req: FastifyRequest, reply: FastifyReply) => unknown): void {
  app.setNotFoundHandler(async (request, reply) => {
    // Not awaited: a FastifyReply is thenable (it resolves when the response has been sent), so awaiting the
    // fallback's reply gave `undefined` and a second answer ("Reply was already sent" on every studio deep link).
    if (notFound && notFound(request, reply) !== undefined) return reply;
    const path = request.url.split('?')[0] ?? request.url;
    const m = mapped('not_found', `No route ${request.method} ${path}.`, { method: request.method, path });
    return reply.code(404).send(errorEnvelope(request, m));
  });
}
