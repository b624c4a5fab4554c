import { dateTime, nonEmptyString, nullableString, schemaHeader } from './common.ts';

/** Every realtime event and every logged run event (api.md "Realtime"). Mirrors `EventEnvelope`. */
export const eventEnvelopeSchema = {
  ...schemaHeader('event-envelope', 'Event envelope', 'One realtime or logged event; event_type is domain:entity:action.'),
  type: 'object',
  required: [
    'contract_version', 'event_id', 'event_type', 'sequence', 'run_id', 'flowchart_id', 'emitted_at', 'idempotency_key',
    'correlation_id', 'request_id', 'room_keys', 'payload',
  ],
  additionalProperties: false,
  properties: {
    contract_version: { const: 'v1' },
    event_id: nonEmptyString,
    event_type: { type: 'string', pattern: '^[a-z][a-z0-9_]*:[a-z][a-z0-9_]*:[a-z][a-z0-9_]*$' },
    sequence: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }] },
    run_id: nullableString,
    flowchart_id: nullableString,
    emitted_at: dateTime,
    idempotency_key: nonEmptyString,
    correlation_id: nullableString,
    request_id: nullableString,
    room_keys: { type: 'array', items: { type: 'string', pattern: '^[a-z_]+:.+$' } },
    payload: { type: 'object' },
  },
} as const;
