import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { CONTRACT_VERSION, ERROR_CODES, LlmctlError, type ErrorCode } from '@llmctl/contracts';
import { newId } from '@llmctl/store';
import type { Logger } from 'pino';

interface ClientErrorInfo {
  status: number;
  code: ErrorCode;
  message: string;
}

function describe(code: string | undefined): ClientErrorInfo {
  if (code === 'HPE_HEADER_OVERFLOW') return { status: 431, code: 'headers_too_large', message: 'The request headers are larger than the server accepts.' };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, code: 'request_timeout', message: 'The request was not received in time.' };
  return { status: 400, code: 'validation_failed', message: 'The request is not valid HTTP/1.1.' };
}

/**
 * The raw HTTP/1.1 response to a request Node's HTTP parser refused (malformed request line or headers, headers over
 * the size limit, a request timeout): the api.md error envelope with a matching status, and the connection closed.
 */
export function clientErrorResponse(errCode: string | undefined, requestId = newId('req')): string {
  const d = describe(errCode);
  const body = JSON.stringify({
    ok: false,
    error: {
      contract_version: CONTRACT_VERSION, code: d.code, message: d.message, details: errCode ? { parser_code: errCode } : {},
      request_id: requestId, retryable: ERROR_CODES[d.code].retryable,
    },
    correlation_id: requestId,
  });
  return [
    `HTTP/1.1 ${d.status} ${STATUS_CODES[d.status] ?? 'Error'}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Request-ID: ${requestId}`,
    `X-Correlation-ID: ${requestId}`,
    'Connection: close',
    '', body,
  ].join('\r\n');
}

/**
 * Fastify's `clientErrorHandler` option: answers a request the HTTP parser refused with {@link clientErrorResponse}
 * (instead of Node's or Fastify's own bodies); a reset or already-answering socket is just closed.
 */
export function clientErrorHandler(this: FastifyInstance, err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const pending = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!socket.writable || pending?.headersSent) {
    socket.destroy();
    return;
  }
  (this.log as Logger | undefined)?.info({ code: err.code }, 'refused a malformed request');
  socket.end(clientErrorResponse(err.code));
}

/**
 * Node answers an HTTP/1.1 request without `Host` with a bodiless 400 of its own; the app turns that off
 * (`requireHostHeader: false`) and answers it here instead, in the envelope (`400 validation_failed`). Call before
 * auth and the routes.
 */
export function installHostHeaderCheck(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    if (req.raw.httpVersion === '1.1' && !req.headers.host) {
      throw new LlmctlError('validation_failed', 'An HTTP/1.1 request needs a Host header.', { errors: [{ path: 'headers.host', message: 'required' }] });
    }
  });
}
