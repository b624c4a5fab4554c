import type { FastifyReply, FastifyRequest } from 'fastify';
import { CONTRACT_VERSION } from '@llmctl/contracts';

/** The `error` object of the error envelope. */
export interface ApiErrorBody {
  contract_version: 'v1';
  code: string;
  message: string;
  details: Record<string, unknown>;
  request_id: string;
  retryable: boolean;
}

/** Sends the success envelope `{ ok: true, data, page?, request_id, correlation_id }` with `status` (default 200). */
export function ok(reply: FastifyReply, data: unknown, page?: Record<string, unknown>, status = 200): FastifyReply {
  return reply.code(status).send({
    ok: true, data, ...(page ? { page } : {}), request_id: reply.request.id, correlation_id: reply.request.correlationId,
  });
}

/** The error envelope `{ ok: false, error: {...}, correlation_id }` of a request. */
export function errorEnvelope(request: FastifyRequest, e: { code: string; message: string; details: Record<string, unknown>; retryable: boolean }) {
  const error: ApiErrorBody = {
    contract_version: CONTRACT_VERSION, code: e.code, message: e.message, details: e.details, request_id: request.id, retryable: e.retryable,
  };
  return { ok: false as const, error, correlation_id: request.correlationId || request.id };
}
