/** Assertions on the api.md envelope shared by the hardening tests (error envelope, fuzzing, auth audit). */
import assert from 'node:assert/strict';
import { isErrorCode } from '@llmctl/contracts';
import type { TestResponse } from './test-server.ts';

/** Asserts `res` is the error envelope with `status` and `code`, its ids matching the response headers. */
export function assertErrorEnvelope(res: TestResponse, status: number, code: string): void {
  assert.equal(res.status, status, res.text.slice(0, 500));
  assert.equal(res.body?.ok, false, res.text.slice(0, 500));
  assert.equal(res.body.error.contract_version, 'v1');
  assert.equal(res.body.error.code, code, res.text.slice(0, 500));
  assert.equal(typeof res.body.error.message, 'string');
  assert.equal(typeof res.body.error.details, 'object');
  assert.equal(typeof res.body.error.retryable, 'boolean');
  assert.equal(res.body.error.request_id, res.headers.get('x-request-id'));
  assert.equal(res.body.correlation_id, res.headers.get('x-correlation-id'));
}

/**
 * Why a parsed response body is not an api.md envelope (`{ ok: true, data }`, or `{ ok: false, error }` with a
 * registered code whose HTTP status is `status`), else undefined.
 */
export function envelopeProblem(status: number, body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return 'not a JSON object';
  const b = body as { ok?: unknown; data?: unknown; error?: { code?: unknown; contract_version?: unknown; message?: unknown; request_id?: unknown } };
  if (b.ok === true) return status < 400 ? undefined : `ok:true with status ${status}`;
  if (b.ok !== false || !b.error) return 'neither ok:true nor ok:false with an error';
  const code = b.error.code;
  if (typeof code !== 'string' || !isErrorCode(code)) return `unregistered code ${String(code)}`;
  if (b.error.contract_version !== 'v1' || typeof b.error.message !== 'string' || typeof b.error.request_id !== 'string') return 'incomplete error object';
  if (status < 400) return `ok:false with status ${status}`;
  return undefined;
}
