/**
 * Shared building blocks of the published JSON Schemas. Every published schema inlines the fragments it needs, so
 * each one is self-contained (a consumer can fetch one schema and validate without resolving references).
 */

/** Base URL of every published contract schema `$id`. */
export const SCHEMA_BASE_URL = 'https://llmctl.dev/contracts/v1/';

/** JSON Schema dialect of every published schema. */
export const SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** The `$id` of the published schema `name` (e.g. `flowchart-v1`). */
export function schemaId(name: string): string {
  return `${SCHEMA_BASE_URL}${name}.schema.json`;
}

/** The common header of a published schema: dialect, `$id`, title and contract version. */
export function schemaHeader(name: string, title: string, description: string) {
  return {
    $schema: SCHEMA_DIALECT,
    $id: schemaId(name),
    'x-contract-version': 'v1',
    title,
    description,
  } as const;
}

/** A non-empty string (ids, keys, codes). */
export const nonEmptyString = { type: 'string', minLength: 1 } as const;

/** An ISO 8601 UTC timestamp. */
export const dateTime = { type: 'string', format: 'date-time' } as const;

/** An ISO 8601 timestamp, or null while it has not happened. */
export const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;

/** A string or null. */
export const nullableString = { type: ['string', 'null'] } as const;

/** A stable snake_case error or warning code. */
export const codeString = { type: 'string', pattern: '^[a-z][a-z0-9_]*$' } as const;

/** `{ code, message, details, retryable }`: every error in the system (node runs, runs, tool results). */
export const errorInfo = {
  type: 'object',
  required: ['code', 'message', 'details', 'retryable'],
  additionalProperties: false,
  properties: {
    code: codeString,
    message: { type: 'string' },
    details: { type: 'object' },
    retryable: { type: 'boolean' },
  },
} as const;

/** A warning `{ code, message }` (node runs, runs, tool results). */
export const warning = {
  type: 'object',
  required: ['code', 'message'],
  additionalProperties: false,
  properties: { code: codeString, message: { type: 'string' } },
} as const;

/** The routing states of a routing record. */
export const ROUTING_STATES = ['matched', 'fallback', 'no_route', 'terminal'] as const;

/** Properties of a routing record (shared by `routing` and `decision-output`). */
export const routingProperties = {
  matched_connector_ids: { type: 'array', items: nonEmptyString },
  route_key: nullableString,
  route_keys: { type: 'array', items: { type: 'string' } },
  routing_state: { enum: [...ROUTING_STATES] },
  evaluated: {
    type: 'array',
    items: {
      type: 'object',
      required: ['connector_id'],
      additionalProperties: false,
      properties: {
        connector_id: nonEmptyString,
        result: true,
        error: {
          type: 'object',
          required: ['code', 'message'],
          properties: {
            code: codeString,
            message: { type: 'string' },
            details: { type: 'object' },
            retryable: { type: 'boolean' },
          },
        },
      },
      oneOf: [{ required: ['result'] }, { required: ['error'] }],
    },
  },
} as const;

/** Required fields of a routing record. */
export const routingRequired = ['matched_connector_ids', 'route_key', 'route_keys', 'routing_state', 'evaluated'] as const;

/** A routing record, without header (inlined by `node-run` and `decision-output`). */
export const routingRecord = {
  type: 'object',
  required: [...routingRequired],
  additionalProperties: false,
  properties: routingProperties,
} as const;

/** Artifact kinds are open-ended; media types look like `type/subtype`. */
export const mediaType = { type: 'string', pattern: '^[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(\\s*;.*)?$' } as const;
