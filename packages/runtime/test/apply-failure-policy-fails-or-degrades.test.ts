import { LlmctlError } from '@llmctl/contracts';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFailurePolicy, type ToolCallResult } from '../src/index.ts';

const failed: ToolCallResult = {
  status: 'failed',
  output: null,
  fallback_used: false,
  warnings: [],
  error: { code: 'tool_timeout', message: 'too slow', details: { timeout_ms: 5 }, retryable: true },
  idempotency_key: 'k:tool:0',
};

test('on_failure fail throws an LlmctlError with the tool error code', () => {
  assert.throws(
    () => applyFailurePolicy(failed, 'fail'),
    (e: unknown) => e instanceof LlmctlError && e.code === 'tool_timeout' && e.retryable && e.details.idempotency_key === 'k:tool:0',
  );
});

test('on_failure fallback returns success_with_warning with fallback_used, a warning and degraded_reason', () => {
  const r = applyFailurePolicy(failed, 'fallback', { fallback_output: { results: [] } });
  assert.equal(r.status, 'success_with_warning');
  assert.equal(r.fallback_used, true);
  assert.equal(r.degraded_reason, 'tool_timeout');
  assert.deepEqual(r.warnings, [{ code: 'tool_timeout', message: 'too slow' }]);
  assert.deepEqual(r.output, { results: [] });
  assert.equal(r.error, undefined);
});

test('successful results pass through unchanged', () => {
  const ok: ToolCallResult = { ...failed, status: 'success', output: 1, error: undefined };
  const r = applyFailurePolicy(ok, 'fail');
  assert.equal(r.status, 'success');
  assert.equal(r.degraded_reason, null);
});

test('a canceled call is never degraded', () => {
  const canceled: ToolCallResult = { ...failed, error: { code: 'canceled', message: 'c', details: {}, retryable: false } };
  assert.throws(() => applyFailurePolicy(canceled, 'fallback'), (e: unknown) => e instanceof LlmctlError && e.code === 'canceled');
});

test('an unregistered error code is thrown as tool_failed keeping the original', () => {
  const odd: ToolCallResult = { ...failed, error: { code: 'vendor_weird', message: 'w', details: {}, retryable: false } };
  assert.throws(
    () => applyFailurePolicy(odd, 'fail'),
    (e: unknown) => e instanceof LlmctlError && e.code === 'tool_failed' && e.details.original_code === 'vendor_weird',
  );
});
