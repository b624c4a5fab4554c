import type { IncomingMessage } from 'node:http';
import { newId } from '@llmctl/store';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's X-Correlation-ID when valid, else the request id. */
    correlationId: string;
  }
}

const HEADER_ID_RE = /^[A-Za-z0-9._:-]{1,128}$/;

/** A caller-supplied X-Request-ID / X-Correlation-ID when valid (1–128 of `[A-Za-z0-9._:-]`), else undefined. */
export function validHeaderId(value: unknown): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' && HEADER_ID_RE.test(v) ? v : undefined;
}

/** Request id: the caller's valid X-Request-ID, else a new `req_…` id. */
export function requestIdOf(raw: IncomingMessage): string {
  return validHeaderId(raw.headers['x-request-id']) ?? newId('req');
}

/** Correlation id: the caller's valid X-Correlation-ID, else the request id. */
export function correlationIdOf(raw: IncomingMessage, requestId: string): string {
  return validHeaderId(raw.headers['x-correlation-id']) ?? requestId;
}
