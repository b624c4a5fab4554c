import { errorInfo, mediaType, nonEmptyString, schemaHeader, warning } from './common.ts';

/**
 * The result of one tool call. `artifacts` are the artifacts the tool produced, before they are persisted (the
 * runtime assigns `id`, `run_id`, `node_run_id`, `version`, `created_at`; see `artifact`).
 */
export const toolResultSchema = {
  ...schemaHeader('tool-result', 'Tool result', 'The outcome of one tool call, recorded under its idempotency key.'),
  type: 'object',
  required: ['status', 'output', 'fallback_used', 'warnings', 'idempotency_key', 'artifacts'],
  additionalProperties: false,
  properties: {
    status: { enum: ['success', 'success_with_warning', 'failed'] },
    output: true,
    fallback_used: { type: 'boolean' },
    warnings: { type: 'array', items: warning },
    error: errorInfo,
    idempotency_key: nonEmptyString,
    artifacts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kind', 'name'],
        additionalProperties: false,
        properties: {
          kind: nonEmptyString,
          name: nonEmptyString,
          media_type: mediaType,
          content: true,
          uri: { type: 'string', format: 'uri' },
        },
        oneOf: [{ required: ['content'] }, { required: ['uri'] }],
      },
    },
  },
  if: { required: ['status'], properties: { status: { const: 'failed' } } },
  then: { required: ['error'] },
} as const;
