/**
 * OpenAPI schemas of the legacy llmctl migration routes (routes/migrations.ts; docs/migration/runbook.md), merged into
 * ROUTE_SCHEMAS. The shapes are the contracts' (packages/contracts/src/schemas/api-migrations.ts; migration.md "The report").
 */
import {
  cutoverChecklistSchema, migrationBatchSchema, migrationReportSchema, migrationSummarySchema, storedMigrationReportSchema,
} from '@llmctl/contracts';

type Json = Record<string, unknown>;

const str = { type: 'string' };
const nullable = (t: string): Json => ({ type: [t, 'null'] });
const errorResponses = { '4xx': { description: 'The error envelope (api.md "Conventions").', $ref: 'ErrorEnvelope#' }, '5xx': { description: 'The error envelope.', $ref: 'ErrorEnvelope#' } };

function success(data: Json, description: string, extra: Json = {}): Json {
  return { description, type: 'object', required: ['ok', 'data', 'request_id', 'correlation_id'], properties: { ok: { const: true }, data, ...extra, request_id: str, correlation_id: str } };
}

/** A contract schema with its `document` referencing the flowchart-v1 component (recursively). */
function withDocumentRef(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withDocumentRef);
  if (!schema || typeof schema !== 'object') return schema;
  const out = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, withDocumentRef(v)]));
  const props = out.properties as Json | undefined;
  if (props && (props.document as Json | undefined)?.description === migrationReportSchema.properties.document.description) {
    out.properties = { ...props, document: { $ref: 'FlowchartDocument#' } };
  }
  return out;
}

/** One per-flowchart report (migration.md), from `@llmctl/contracts`. */
export const MIGRATION_REPORT_SCHEMA = withDocumentRef(migrationReportSchema) as Json;
const batch = withDocumentRef(migrationBatchSchema) as Json;
const summary = migrationSummarySchema as unknown as Json;
const stored = withDocumentRef(storedMigrationReportSchema) as Json;
const checklist = cutoverChecklistSchema as unknown as Json;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', description: 'The report id (a malformed one is 404 not_found).' } } };

function schema(summaryText: string, ok: Record<number, Json>, extra: Json = {}): Json {
  // A body is validated by its handler (400 migration_input_invalid) unless `bodyBy: 'schema'` says the schema does it.
  const { bodyBy, ...rest } = extra;
  const body = rest.body as Json | undefined;
  return { tags: ['migrations'], summary: summaryText, ...rest, ...(body && bodyBy !== 'schema' ? { body: { ...body, 'x-validated-by': 'handler' } } : {}), response: { ...ok, ...errorResponses } };
}

/** The documented schema of each migration route (`METHOD /path`). */
export const MIGRATION_ROUTE_SCHEMAS: Record<string, Json> = {
  'POST /api/migrations/flowcharts': schema('Import llmctl flowcharts: dry run (default) or apply', { 200: success(batch, 'The batch with one report per flowchart (stored).') }, {
    description: 'Body `{ source: <graph | [graphs] | { flowcharts: [...] } | llmctl migration report>, model_map, apply, strict }`. A malformed export is 400 migration_input_invalid; nothing is applied unless every flowchart parses. Apply creates a flowchart (or a new version of the one imported from the same legacy id) for each ready report, one transaction each.',
    body: { type: 'object', required: ['source'], properties: { source: {}, model_map: { type: 'object', additionalProperties: str }, apply: { type: 'boolean' }, strict: { type: 'boolean' } } },
  }),
  'GET /api/migrations': schema('Stored migration reports (newest first)', { 200: success({ type: 'array', items: summary }, 'A page of report summaries.', { page: { $ref: 'Page#' } }) }, {
    querystring: {
      type: 'object',
      properties: {
        q: str, status: { enum: ['ready', 'blocked'] }, sort: { enum: ['created_at', 'name', 'legacy_id'] }, order: { type: 'string', pattern: '^([aA][sS][cC]|[dD][eE][sS][cC])$' },
        page: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 1 }, per_page: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
      },
    },
  }),
  'GET /api/migrations/cutover': schema('The cutover release checklist as data', { 200: success(checklist, 'Imported, ready, blocked, rehearsed, the switch and the test-evidence record.') }),
  'POST /api/migrations/cutover/rehearse': schema('Run every imported flowchart once on the scripted provider and record the results', { 200: success(checklist, 'The checklist after the rehearsal.') }, {
    body: { type: 'object', properties: { input: { description: 'Run input for every rehearsal (default {}).' }, timeout_s: { type: 'integer', minimum: 1, maximum: 600 } } },
    bodyBy: 'schema',
  }),
  'GET /api/migrations/:id': schema('One stored report', { 200: success(stored, 'The report.') }, { params: idParams }),
  'POST /api/migrations/:id/rollback': schema('Roll back an applied report', {
    200: success({ type: 'object', properties: { report_id: str, action: { enum: ['restored', 'deleted'] }, flowchart_id: str, version: nullable('integer'), hash: nullable('string'), pre_migration_hash: nullable('string') } }, 'What was restored or deleted.'),
  }, { params: idParams }),
};
