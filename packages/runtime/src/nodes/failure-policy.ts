/** The node-level fallback contract: a failed required tool either fails the node or degrades it. */
import { isErrorCode, LlmctlError } from '@llmctl/contracts';
import type { ToolCallResult } from './tool-port.ts';

/** What a node does when its tool fails: fail, or complete as `success_with_warning` with `fallback_used`. */
export type OnFailure = 'fail' | 'fallback';

/** A tool result after the failure policy: `degraded_reason` is the reason code when the fallback was used. */
export interface PolicyResult extends ToolCallResult {
  degraded_reason: string | null;
}

/** Options of `applyFailurePolicy`. */
export interface FailurePolicyOptions {
  /** The output a degraded result carries (default null), e.g. `{ op: 'retrieve', memories: [], count: 0 }`. */
  fallback_output?: unknown;
}

/**
 * Applies `on_failure` to a tool result. Successful results pass through (`degraded_reason: null`). A failed result
 * throws an `LlmctlError` with the tool's code (unregistered codes become `tool_failed`, details keep the original)
 * under `fail`, and also under `fallback` when the call was `canceled` (a cancellation is never papered over).
 * Otherwise it becomes `success_with_warning` with `fallback_used: true`, `degraded_reason` = the error code, the
 * warning `{ code: <error code>, message }` appended, the fallback output, and no `error`.
 */
export function applyFailurePolicy(
  result: ToolCallResult,
  on_failure: OnFailure,
  options: FailurePolicyOptions = {},
): PolicyResult {
  if (result.status !== 'failed') return { ...result, degraded_reason: null };
  const error = result.error ?? { code: 'tool_failed', message: 'The tool failed', details: {}, retryable: false };
  if (on_failure === 'fail' || error.code === 'canceled') {
    const code = isErrorCode(error.code) ? error.code : 'tool_failed';
    const details = { ...error.details, idempotency_key: result.idempotency_key, ...(code === error.code ? {} : { original_code: error.code }) };
    throw new LlmctlError(code, error.message, details, error.retryable);
  }
  const { error: _dropped, ...rest } = result;
  return {
    ...rest,
    status: 'success_with_warning',
    output: options.fallback_output ?? null,
    fallback_used: true,
    warnings: [...result.warnings, { code: error.code, message: error.message }],
    degraded_reason: error.code,
  };
}
