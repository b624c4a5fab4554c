/**
 * The executor process contract (executors.md "Kubernetes backend"): `llmctl executor run --payload-file F` prints
 * {@link EXECUTOR_STARTED_MARKER} first and exactly one `LLMCTL_EXECUTOR_RESULT_JSON=<json>` line last; the backend
 * reads that line from the pod log and validates it against {@link executorResultSchema}.
 */
export const EXECUTOR_STARTED_MARKER = 'LLMCTL_EXECUTOR_STARTED';
/** Prefix of the result line. */
export const EXECUTOR_RESULT_PREFIX = 'LLMCTL_EXECUTOR_RESULT_JSON=';

const errorInfo = {
  type: 'object',
  required: ['code', 'message', 'details', 'retryable'],
  properties: { code: { type: 'string', minLength: 1 }, message: { type: 'string' }, details: { type: 'object' }, retryable: { type: 'boolean' } },
} as const;

/** JSON Schema of the result line's JSON. */
export const executorResultSchema = {
  $id: 'https://llmctl.dev/schemas/executor-result.json',
  title: 'llmctl executor result',
  type: 'object',
  required: ['v', 'ok', 'dispatch_id'],
  properties: {
    v: { const: 1 },
    ok: { type: 'boolean' },
    dispatch_id: { type: 'string' },
    result: {
      type: 'object',
      required: ['output', 'warnings'],
      properties: {
        output: true,
        warnings: { type: 'array', items: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } } },
        fallback_used: { type: 'boolean' },
        degraded_reason: { type: ['string', 'null'] },
        usage: { type: ['object', 'null'] },
        terminate: { type: 'boolean' },
        choice: true,
      },
    },
    error: errorInfo,
    model_calls: { type: 'array', items: { type: 'object' } },
  },
  if: { properties: { ok: { const: true } } },
  then: { required: ['result'] },
  else: { required: ['error'] },
} as const;

/** The result line's JSON. */
export interface ExecutorResultLine {
  v: 1;
  ok: boolean;
  dispatch_id: string;
  result?: { output: unknown; warnings: { code: string; message: string }[]; fallback_used?: boolean; degraded_reason?: string | null; usage?: Record<string, unknown> | null; terminate?: boolean; choice?: unknown };
  error?: { code: string; message: string; details: Record<string, unknown>; retryable: boolean };
  /** Model calls the attempt made (the owner records them in its model-call log). */
  model_calls?: Record<string, unknown>[];
}
