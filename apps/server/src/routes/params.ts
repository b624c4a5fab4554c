import { LlmctlError } from '@llmctl/contracts';
import { isId } from '@llmctl/store';

/** Path id of `prefix` (`fc`, `mdl`, `run`…); a malformed one is `404 not_found` (never a database error). */
export function requireId(prefix: string, value: unknown, what: string): string {
  if (!isId(prefix, value)) throw new LlmctlError('not_found', `No ${what} ${String(value).slice(0, 140)}.`, { id: String(value).slice(0, 140) });
  return value;
}

/** Optional positive integer query parameter (`?version=3`); anything else is `400 validation_failed`. */
export function optionalPositiveInt(query: Record<string, unknown>, name: string, max = 2_147_483_647): number | undefined {
  const v = query[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string' || !/^\d{1,10}$/.test(v) || Number(v) < 1 || Number(v) > max) {
    throw new LlmctlError('validation_failed', `${name} must be an integer from 1 to ${max}.`, { errors: [{ path: name, message: 'must be a positive integer' }] });
  }
  return Number(v);
}

/** The request body as a JSON object, else `400 validation_failed`. */
export function requireObjectBody(body: unknown): Record<string, unknown> {
  if (body === undefined) throw new LlmctlError('validation_failed', 'A JSON object body is required.', { errors: [{ path: '', message: 'required' }] });
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new LlmctlError('validation_failed', 'The request body must be a JSON object.', { errors: [{ path: '', message: 'must be an object' }] });
  }
  return body as Record<string, unknown>;
}

/** Query as a plain record. */
export function queryOf(q: unknown): Record<string, unknown> {
  return (q && typeof q === 'object' ? q : {}) as Record<string, unknown>;
}
