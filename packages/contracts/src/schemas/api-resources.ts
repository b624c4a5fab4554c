/**
 * API shapes of flowcharts, models and provider credentials (api.md "Main shapes"), written once as JSON Schema with
 * the TypeScript types derived (`FromSchema`). The server's OpenAPI components are these schemas and the studio
 * imports the types (apps/studio/src/api/types.ts).
 */
import type { FromSchema } from 'json-schema-to-ts';
import type { FlowchartDocument, ValidationIssue, ValidationResult } from '../flowchart.ts';
import { artifactSchema } from './artifact.ts';

const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const time = { type: 'string', format: 'date-time' } as const;
const settings = { type: 'object', additionalProperties: true } as const;

/** One coded problem of a flowchart document (flowchart-v1.md). */
export const validationIssueSchema = {
  type: 'object',
  description: 'One coded problem of a flowchart document (flowchart-v1.md).',
  required: ['code', 'message'],
  properties: { code: str, message: str, path: str, node_id: str, edge_id: str },
} as const;

/** A flowchart version (the latest unless `?version=` names another). `document` is a flowchart-v1 document. */
export const flowchartViewSchema = {
  type: 'object',
  description: 'A flowchart version (the latest unless `?version=` names another).',
  required: ['id', 'version', 'name', 'description', 'document', 'warnings', 'created_at', 'updated_at'],
  additionalProperties: false,
  properties: {
    id: str, version: { type: 'integer', minimum: 1 }, latest_version: { type: 'integer', minimum: 1 }, name: str, description: nullableStr,
    document: { type: 'object', description: 'A flowchart-v1 document.' }, warnings: { type: 'array', items: validationIssueSchema }, created_at: time, updated_at: time,
  },
} as const;

/** One entry of a flowchart's version history. */
export const flowchartVersionInfoSchema = {
  type: 'object', required: ['version', 'name', 'warnings_count', 'created_at'], additionalProperties: false,
  properties: { version: { type: 'integer', minimum: 1 }, name: str, warnings_count: { type: 'integer' }, created_at: time },
} as const;

/** A registered model (the API key is write-only: only `has_api_key` and a mask come back). */
export const modelViewSchema = {
  type: 'object', required: ['id', 'name', 'provider', 'model', 'base_url', 'settings', 'created_at', 'updated_at'], additionalProperties: false,
  properties: {
    id: str, name: str, provider: str, model: str, base_url: nullableStr, settings, created_at: time, updated_at: time,
    offline: { const: true, description: 'Present on scripted models (they answer offline).' }, label: str,
    has_api_key: { const: true, description: 'Present when the model has its own API key (write-only; `api_key` on create/update).' },
    api_key_masked: { type: 'string', description: 'Present with has_api_key: a mask such as `sk-…9f8e`.' },
  },
} as const;

/** A provider's stored credential (the key masked, never sent). */
export const providerCredentialSchema = {
  type: 'object', required: ['provider', 'has_api_key', 'api_key_masked', 'base_url', 'settings', 'updated_at'], additionalProperties: false,
  properties: { provider: str, has_api_key: { type: 'boolean' }, api_key_masked: nullableStr, base_url: nullableStr, settings, updated_at: { type: ['string', 'null'], format: 'date-time' } },
} as const;

/** The outcome of `POST /api/models/:id/test`: latency, or the provider's coded error. */
export const modelTestResultSchema = {
  type: 'object', required: ['ok', 'latency_ms'],
  properties: { ok: { type: 'boolean' }, latency_ms: { type: 'integer' }, provider: str, model: str, reply: str, error: { type: 'object', additionalProperties: true } },
} as const;

/** A RAG collection: counts on list items, its documents on a single read. */
export const ragCollectionSchema = {
  type: 'object', required: ['id', 'name', 'description', 'created_at'], additionalProperties: false,
  properties: {
    id: str, name: str, description: nullableStr, created_at: time,
    document_count: { type: 'integer', description: 'List items: documents in the collection.' },
    chunk_count: { type: 'integer', description: 'List items: chunks in the collection.' },
    documents: { type: 'array', description: 'Single reads: the documents with their chunk counts.', items: { type: 'object', additionalProperties: true } },
  },
} as const;

/** A flowchart's server-side draft with its current validation result (never a version, never runnable). */
export const flowchartDraftSchema = {
  type: 'object', required: ['flowchart_id', 'document', 'updated_at', 'validation'], additionalProperties: false,
  properties: {
    flowchart_id: str,
    document: { type: 'object', additionalProperties: true, description: 'The draft document (possibly invalid).' },
    updated_at: time,
    validation: {
      type: 'object', required: ['valid', 'errors', 'warnings'],
      properties: { valid: { type: 'boolean' }, errors: { type: 'array', items: validationIssueSchema }, warnings: { type: 'array', items: validationIssueSchema } },
    },
  },
} as const;

/** A RAG collection. */
export type RagCollectionView = FromSchema<typeof ragCollectionSchema>;
/** A flowchart's server-side draft. */
export type FlowchartDraftView = Omit<FromSchema<typeof flowchartDraftSchema>, 'validation'> & { validation: ValidationResult };

/** A stored flowchart version. */
export type FlowchartView = Omit<FromSchema<typeof flowchartViewSchema>, 'document' | 'warnings'> & { document: FlowchartDocument; warnings: ValidationIssue[] };
/** One entry of a flowchart's version history. */
export type FlowchartVersionInfo = FromSchema<typeof flowchartVersionInfoSchema>;
/** A registered model. */
export type ModelView = FromSchema<typeof modelViewSchema>;
/** A provider's stored credential. */
export type ProviderCredentialView = FromSchema<typeof providerCredentialSchema>;
/** The outcome of a model test. */
export type ModelTestResult = FromSchema<typeof modelTestResultSchema>;
/** A persisted artifact (the published `artifact` contract). */
export type ArtifactView = FromSchema<typeof artifactSchema>;
