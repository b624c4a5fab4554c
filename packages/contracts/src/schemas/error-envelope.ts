import { codeString, schemaHeader } from './common.ts';

/** Every API error response (api.md "Conventions"). */
export const errorEnvelopeSchema = {
  ...schemaHeader('error-envelope', 'API error envelope', 'The body of every API error response, with a matching HTTP status.'),
  type: 'object',
  required: ['ok', 'error', 'correlation_id'],
  additionalProperties: false,
  properties: {
    ok: { const: false },
    error: {
      type: 'object',
      required: ['contract_version', 'code', 'message', 'details', 'request_id', 'retryable'],
      additionalProperties: false,
      properties: {
        contract_version: { const: 'v1' },
        code: codeString,
        message: { type: 'string' },
        details: { type: 'object' },
        request_id: { type: 'string', minLength: 1 },
        retryable: { type: 'boolean' },
      },
    },
    correlation_id: { type: 'string', minLength: 1 },
  },
} as const;
