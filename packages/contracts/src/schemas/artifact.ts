import { dateTime, mediaType, nonEmptyString, nullableString, schemaHeader } from './common.ts';

/** A persisted artifact: typed and versioned; inline `content` or an external `uri` (exactly one). */
export const artifactSchema = {
  ...schemaHeader('artifact', 'Artifact', 'A typed, versioned artifact produced by a node run.'),
  type: 'object',
  required: ['id', 'run_id', 'node_run_id', 'kind', 'name', 'version', 'media_type', 'created_at'],
  additionalProperties: false,
  properties: {
    id: nonEmptyString,
    run_id: nonEmptyString,
    node_run_id: nullableString,
    kind: nonEmptyString,
    name: nonEmptyString,
    version: { type: 'integer', minimum: 1 },
    content: true,
    uri: { type: 'string', format: 'uri' },
    media_type: mediaType,
    created_at: dateTime,
  },
  oneOf: [{ required: ['content'] }, { required: ['uri'] }],
} as const;
