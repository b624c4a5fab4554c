/**
 * The Fastify `schema` of every API route, keyed `METHOD path` and attached when the route is added (see
 * install-docs.ts), so the routes keep their files and behaviour. Query strings, path parameters and bodies are
 * validated with these schemas (failures are `400 validation_failed`), except bodies marked `x-validated-by: handler`
 * (the flowchart rules answer `422 flowchart_invalid`, models use the zod schemas these bodies are generated from);
 * responses are serialised by them, opened so that nothing is dropped (response-serializer.ts).
 */
import {
  ARTIFACT_SORTS, FLOWCHART_SORTS, MEMORY_SORTS, MILESTONE_SORTS, MODEL_SORTS, PLAN_SORTS, RAG_COLLECTION_SORTS, RUN_SORTS,
} from '@llmctl/store';
import { PROVIDER_KINDS } from '@llmctl/providers';
import { executorHealthSchema, flowchartDraftSchema, workerViewSchema } from '@llmctl/contracts';
import { RUN_STATUS_ENUM, ref } from './components.ts';
import { MIGRATION_ROUTE_SCHEMAS } from './migration-schemas.ts';
import { NODE_TEST_ROUTE_SCHEMAS } from './node-test-schemas.ts';
import { VALIDATED_BY_HANDLER } from './request-validator.ts';

type Json = Record<string, unknown>;

const str = { type: 'string' };
const errorResponses = { '4xx': { description: 'The error envelope (api.md "Conventions").', ...ref('ErrorEnvelope') }, '5xx': { description: 'The error envelope.', ...ref('ErrorEnvelope') } };

function success(data: Json, description: string, extra: Json = {}): Json {
  return {
    description,
    type: 'object',
    required: ['ok', 'data', 'request_id', 'correlation_id', ...Object.keys(extra)],
    properties: { ok: { const: true }, data, ...extra, request_id: str, correlation_id: str },
  };
}

const listOf = (item: Json, description: string): Json => success({ type: 'array', items: item }, description, { page: ref('Page') });

function params(...names: string[]): Json {
  return { type: 'object', required: names, properties: Object.fromEntries(names.map((n) => [n, { type: 'string', description: n === 'id' ? 'The id (a malformed one is 404 not_found).' : n }])) };
}

/** `q`, `sort`, `order`, `page`, `per_page` (api.md) plus a list's own filters. */
function listQuery(sorts: readonly string[], filters: Record<string, Json> = {}, q = 'Case-insensitive substring of the name.'): Json {
  return {
    type: 'object',
    properties: {
      q: { type: 'string', description: q },
      sort: { type: 'string', enum: [...sorts], description: 'Sort field; an unknown one is 400 validation_failed.' },
      order: { type: 'string', pattern: '^([aA][sS][cC]|[dD][eE][sS][cC])$', description: '`asc` or `desc` (default depends on the sort field).' },
      page: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 1 },
      per_page: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
      ...filters,
    },
  };
}

interface RouteDoc {
  tags: string[];
  summary: string;
  description?: string;
  params?: Json;
  querystring?: Json;
  body?: Json;
  /** `schema`: the body is validated by `body` (400 validation_failed); otherwise its handler validates it. */
  bodyBy?: 'schema' | 'handler';
  /** Success responses by status. */
  ok: Record<number, Json>;
  security?: unknown[];
}

/** Marks a documented body (each content type's, for a content-keyed one) as validated by its handler. */
export function handlerValidated(body: Json): Json {
  const content = body.content as Record<string, { schema: Json }> | undefined;
  if (!content) return { ...body, ...VALIDATED_BY_HANDLER };
  return { ...body, content: Object.fromEntries(Object.entries(content).map(([type, c]) => [type, { ...c, schema: { ...c.schema, ...VALIDATED_BY_HANDLER } }])) };
}

function schema(d: RouteDoc): Json {
  return {
    tags: d.tags, summary: d.summary, ...(d.description ? { description: d.description } : {}),
    ...(d.params ? { params: d.params } : {}), ...(d.querystring ? { querystring: d.querystring } : {}), ...(d.body ? { body: d.bodyBy === 'schema' ? d.body : handlerValidated(d.body) } : {}),
    ...(d.security ? { security: d.security } : {}),
    response: { ...d.ok, ...errorResponses },
  };
}

const flowchartBody = {
  description: 'A flowchart-v1 document, or `{ "document": { … } }`.',
  anyOf: [ref('FlowchartDocument'), { type: 'object', required: ['document'], properties: { document: ref('FlowchartDocument') } }],
};
const flowchartDraft = { ...flowchartDraftSchema, properties: { ...flowchartDraftSchema.properties, validation: ref('ValidationResult') } };
const filter = (description: string): Json => ({ type: 'string', maxLength: 200, description });
const specialFilters = { flowchart_id: filter('Only this flowchart\'s.'), run_id: filter('Only this run\'s.') };
const deleted = success({ type: 'object', required: ['id', 'deleted'], properties: { id: str, deleted: { const: true } } }, 'Deleted.');

/** The documented schema of each route (`METHOD /path`). */
export const ROUTE_SCHEMAS: Record<string, Json> = {
  'GET /api/health': schema({
    tags: ['system'], summary: 'Health: 200 once the database is reachable and migrated (else 503 unavailable)', security: [],
    ok: { 200: success({ type: 'object', properties: { status: str, version: str, database: { type: 'object' }, executor: executorHealthSchema, auth: { type: 'object' } } }, 'Healthy.') },
  }),
  'GET /metrics': schema({
    tags: ['system'], summary: 'Prometheus metrics (text exposition format)',
    ok: { 200: { description: 'Metrics.', content: { 'text/plain': { schema: { type: 'string' } } } } },
  }),
  'GET /api/openapi.json': schema({ tags: ['system'], summary: 'This OpenAPI 3.1 document', ok: { 200: { description: 'The OpenAPI document (not enveloped).', type: 'object' } } }),
  'GET /api/contracts': schema({
    tags: ['contracts'], summary: 'The published JSON Schemas',
    ok: { 200: success({ type: 'array', items: { type: 'object', properties: { name: str, url: str } } }, 'Schema names and URLs.') },
  }),
  'GET /api/contracts/:name': schema({
    tags: ['contracts'], summary: 'One published JSON Schema (`.schema.json` suffix accepted)', params: params('name'),
    ok: { 200: success({ type: 'object' }, 'The JSON Schema (2020-12).') },
  }),

  'POST /api/flowcharts/validate': schema({
    tags: ['flowcharts'], summary: 'Validate a document without saving', body: flowchartBody,
    ok: { 200: success(ref('ValidationResult'), 'Every coded problem.') },
  }),
  'GET /api/flowcharts': schema({ tags: ['flowcharts'], summary: 'List flowcharts (latest versions)', querystring: listQuery(FLOWCHART_SORTS), ok: { 200: listOf(ref('Flowchart'), 'A page of flowcharts.') } }),
  'POST /api/flowcharts': schema({
    tags: ['flowcharts'], summary: 'Create a flowchart', description: 'An invalid document is 422 flowchart_invalid with details.errors[] and details.warnings[].',
    body: flowchartBody, ok: { 201: success(ref('Flowchart'), 'Created (version 1).') },
  }),
  'GET /api/flowcharts/:id': schema({
    tags: ['flowcharts'], summary: 'A flowchart (latest version, or ?version=N)', params: params('id'),
    querystring: { type: 'object', properties: { version: { type: 'integer', minimum: 1, maximum: 2_147_483_647 } } },
    ok: { 200: success(ref('Flowchart'), 'The flowchart version.') },
  }),
  'PUT /api/flowcharts/:id': schema({ tags: ['flowcharts'], summary: 'Save a new version', params: params('id'), body: flowchartBody, ok: { 200: success(ref('Flowchart'), 'The new version.') } }),
  'DELETE /api/flowcharts/:id': schema({ tags: ['flowcharts'], summary: 'Delete a flowchart (409 conflict while runs are active)', params: params('id'), ok: { 200: deleted } }),
  'GET /api/flowcharts/:id/draft': schema({
    tags: ['flowcharts'], summary: 'The server-side draft (404 not_found when there is none)', params: params('id'),
    ok: { 200: success(flowchartDraft, 'The draft with its current validation result.') },
  }),
  'PUT /api/flowcharts/:id/draft': schema({
    tags: ['flowcharts'], summary: 'Save the server-side draft (may be invalid; never a version, never runnable)', params: params('id'),
    body: { type: 'object', description: 'Any JSON object (a possibly invalid flowchart-v1 document), or `{ "document": { … } }`.' },
    ok: { 200: success(flowchartDraft, 'The stored draft with its validation errors and warnings.') },
  }),
  'DELETE /api/flowcharts/:id/draft': schema({
    tags: ['flowcharts'], summary: 'Discard the server-side draft', params: params('id'),
    ok: { 200: success({ type: 'object', required: ['id', 'deleted'], properties: { id: str, deleted: { type: 'boolean', description: 'Whether there was a draft.' } } }, 'Discarded.') },
  }),
  'GET /api/flowcharts/:id/versions': schema({
    tags: ['flowcharts'], summary: 'Version history', params: params('id'), querystring: listQuery(['version']),
    ok: { 200: listOf(ref('FlowchartVersionInfo'), 'A page of versions.') },
  }),
  'POST /api/flowcharts/:id/runs': schema({
    tags: ['runs'], summary: 'Start a run', params: params('id'),
    body: { type: 'object', properties: { input: { description: 'The run input (default {}).' }, version: { type: 'integer', minimum: 1, maximum: 2_147_483_647 } } }, bodyBy: 'schema',
    ok: { 201: success(ref('Run'), 'The run, queued.') },
  }),

  'GET /api/runs': schema({
    tags: ['runs'], summary: 'List runs',
    querystring: listQuery(RUN_SORTS, {
      flowchart_id: str, status: { type: 'string', enum: RUN_STATUS_ENUM },
      created_after: { type: 'string', maxLength: 100, description: 'Only runs created after this ISO 8601 date-time.' },
      cursor: { type: 'string', maxLength: 400, description: 'Keyset paging, fast at any depth: send `cursor=` (empty) for the first page, then `page.next_cursor` of the previous page (`page` is then ignored). Only with `cursor` does `page` carry `next_cursor`.' },
    }, 'Case-insensitive substring of the run id or its flowchart\'s name.'),
    ok: { 200: listOf(ref('Run'), 'A page of runs (without node runs). `page.next_cursor` continues the list (null on the last page); `page.total_estimated: true` when `total` is the planner estimate of a large unfiltered table.') },
  }),
  'GET /api/runs/:id': schema({
    tags: ['runs'], summary: 'A run with its node runs', params: params('id'),
    querystring: { type: 'object', properties: { wait_s: { type: 'integer', minimum: 1, maximum: 60, description: 'Long-poll until the run is finished or paused.' } } },
    ok: { 200: success(ref('Run'), 'The run.') },
  }),
  'GET /api/runs/:id/events': schema({
    tags: ['runs'], summary: 'Event log catch-up (cursor-paged)', params: params('id'),
    querystring: { type: 'object', properties: { after_sequence: { type: 'integer', minimum: 0, maximum: 9_007_199_254_740_991, default: 0 }, limit: { type: 'integer', minimum: 0, maximum: 1000, default: 100 } } },
    ok: {
      200: success({ type: 'array', items: ref('EventEnvelope') }, 'Events with sequence > after_sequence, in order, in the realtime envelope (emitted_at = commit time).', {
        page: { type: 'object', required: ['after_sequence', 'limit', 'next_after_sequence'], properties: { after_sequence: { type: 'integer' }, limit: { type: 'integer' }, next_after_sequence: { type: 'integer' } } },
      }),
    },
  }),
  'GET /api/runs/:id/trace': schema({ tags: ['runs'], summary: 'Span tree of a run', params: params('id'), ok: { 200: success(ref('Span'), 'The root (run) span.') } }),
  'POST /api/runs/:id/control': schema({
    tags: ['runs'], summary: 'Control a run (pause, resume, cancel, retry, skip, rewind)', params: params('id'),
    description: 'Answered after commit. A transition the run cannot make is 409 invalid_transition.',
    body: ref('ControlRequest'), bodyBy: 'schema', ok: { 200: success(ref('ControlResult'), 'The run after the action.') },
  }),
  'GET /api/runs/:id/artifacts': schema({
    tags: ['runs'], summary: 'Artifacts of a run', params: params('id'),
    querystring: listQuery(ARTIFACT_SORTS, { node_run_id: filter('Only this node run\'s.'), kind: filter('Only this kind.') }),
    ok: { 200: listOf(ref('Artifact'), 'A page of artifacts.') },
  }),
  'DELETE /api/runs/:id': schema({
    tags: ['runs'], summary: 'Delete a finished run with its events, node runs, model/tool calls, artifacts and workspace (409 conflict while active)',
    params: params('id'), ok: { 200: success({ type: 'object', required: ['id', 'deleted'], properties: { id: str, deleted: { type: 'boolean' } } }, 'Deleted.') },
  }),
  'POST /api/runs/prune': schema({
    tags: ['runs'], summary: 'Apply retention now: the configured policies, or the rules in the body',
    body: { type: 'object', additionalProperties: false, properties: { keep_finished_days: { type: 'integer', minimum: 0, maximum: 10_000_000 }, keep_last_runs: { type: 'integer', minimum: 0, maximum: 10_000_000 }, flowchart_id: str } },
    bodyBy: 'schema',
    ok: { 200: success({ type: 'object', required: ['deleted_count', 'deleted_run_ids'], properties: { deleted_count: { type: 'integer' }, deleted_run_ids: { type: 'array', items: str } } }, 'What was deleted (ids: the first 1,000).') },
  }),
  'GET /api/artifacts/:id': schema({ tags: ['runs'], summary: 'One artifact', params: params('id'), ok: { 200: success(ref('Artifact'), 'The artifact.') } }),

  'GET /api/models': schema({
    tags: ['models'], summary: 'List models', querystring: listQuery(MODEL_SORTS, { provider: { type: 'string', description: 'Only this provider\'s.' } }),
    ok: { 200: listOf(ref('Model'), 'A page of models.') },
  }),
  'POST /api/models': schema({ tags: ['models'], summary: 'Create a model', body: ref('ModelCreate'), ok: { 201: success(ref('Model'), 'Created.') } }),
  'GET /api/models/:id': schema({ tags: ['models'], summary: 'A model', params: params('id'), ok: { 200: success(ref('Model'), 'The model.') } }),
  'PUT /api/models/:id': schema({ tags: ['models'], summary: 'Update a model', params: params('id'), body: ref('ModelUpdate'), ok: { 200: success(ref('Model'), 'Updated.') } }),
  'DELETE /api/models/:id': schema({ tags: ['models'], summary: 'Delete a model (409 conflict while a flowchart uses it)', params: params('id'), ok: { 200: deleted } }),
  'POST /api/models/:id/test': schema({
    tags: ['models'], summary: 'A tiny live call: latency, or the provider\'s coded error', params: params('id'),
    ok: { 200: success({ type: 'object', required: ['ok', 'latency_ms'], properties: { ok: { type: 'boolean' }, latency_ms: { type: 'integer' }, provider: str, model: str, reply: str, error: { type: 'object' } } }, 'The outcome.') },
  }),
  'GET /api/providers': schema({ tags: ['models'], summary: 'Provider credentials (keys masked)', ok: { 200: success({ type: 'array', items: ref('ProviderCredential') }, 'Every provider.') } }),
  'PUT /api/providers/:provider': schema({
    tags: ['models'], summary: 'Set a provider\'s key, base URL or settings',
    params: { type: 'object', required: ['provider'], properties: { provider: { type: 'string', description: `One of ${PROVIDER_KINDS.filter((p) => p !== 'scripted').join(', ')}.` } } },
    body: ref('ProviderCredentialInput'), bodyBy: 'schema', ok: { 200: success(ref('ProviderCredential'), 'The stored credential (masked).') },
  }),
  'GET /api/settings/runtime': schema({ tags: ['settings'], summary: 'Runtime settings', ok: { 200: success(ref('RuntimeSettings'), 'The settings.') } }),
  'GET /api/workers': schema({
    tags: ['system'], summary: 'Queue workers seen in the last hour (live, draining or lost)',
    ok: { 200: success({ type: 'array', items: workerViewSchema }, 'Every worker.') },
  }),
  'PUT /api/settings/runtime': schema({
    tags: ['settings'], summary: 'Change runtime settings (deep-merged; unknown keys are 400)',
    body: { type: 'object', description: 'A partial RuntimeSettings.' }, ok: { 200: success(ref('RuntimeSettings'), 'The saved settings.') },
  }),

  'GET /api/memories': schema({
    tags: ['special state'], summary: 'Memories', querystring: listQuery(MEMORY_SORTS, { ...specialFilters, scope: filter('`global` or `flowchart:<id>`.') }, 'Case-insensitive substring of the text.'),
    ok: { 200: listOf(ref('Memory'), 'A page of memories.') },
  }),
  'GET /api/plans': schema({
    tags: ['special state'], summary: 'Plans', querystring: listQuery(PLAN_SORTS, specialFilters, 'Case-insensitive substring of the plan key.'),
    ok: { 200: listOf(ref('Plan'), 'A page of plans.') },
  }),
  'GET /api/milestones': schema({
    tags: ['special state'], summary: 'Milestones', querystring: listQuery(MILESTONE_SORTS, specialFilters, 'Case-insensitive substring of the key or title.'),
    ok: { 200: listOf(ref('Milestone'), 'A page of milestones.') },
  }),
  'POST /api/rag/collections': schema({
    tags: ['rag'], summary: 'Create a RAG collection',
    body: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, description: { type: ['string', 'null'], maxLength: 2000 } } }, bodyBy: 'schema',
    ok: { 201: success(ref('RagCollection'), 'Created.') },
  }),
  'GET /api/rag/collections': schema({ tags: ['rag'], summary: 'List RAG collections', querystring: listQuery(RAG_COLLECTION_SORTS), ok: { 200: listOf(ref('RagCollection'), 'A page of collections (with counts).') } }),
  'GET /api/rag/collections/:id': schema({ tags: ['rag'], summary: 'A collection (id or name) with its documents', params: params('id'), ok: { 200: success(ref('RagCollection'), 'The collection.') } }),
  'GET /api/rag/collections/:id/search': schema({
    tags: ['rag'], summary: 'Search a collection', params: params('id'),
    querystring: { type: 'object', required: ['q'], properties: { q: { type: 'string', minLength: 1, description: 'The search text.' }, top_k: { type: 'integer', minimum: 1, maximum: 50, default: 5 } } },
    ok: { 200: success({ type: 'object', properties: { collection: str, query: str, results: { type: 'array', items: { type: 'object', properties: { chunk_id: str, document_id: str, text: str, score: { type: 'number' } } } } } }, 'The best chunks.') },
  }),
  'POST /api/rag/collections/:id/documents': schema({
    tags: ['rag'], summary: 'Add a document (text, Markdown or PDF; up to 20 MiB)', params: params('id'),
    description: 'A JSON body, or a raw text/plain, text/markdown or application/pdf body with `?name=`. Other types are 415.',
    body: {
      content: {
        'application/json': {
          schema: {
            type: 'object', required: ['name'],
            properties: {
              name: { type: 'string', minLength: 1, maxLength: 500 }, media_type: { enum: ['text/plain', 'text/markdown', 'text/x-markdown', 'application/pdf'] },
              text: str, content_base64: { type: 'string', contentEncoding: 'base64' },
              chunking: { type: 'object', properties: { max_chars: { type: 'integer', minimum: 0, maximum: 100000 }, overlap_chars: { type: 'integer', minimum: 0, maximum: 100000 } } },
            },
          },
        },
        'text/plain': { schema: str },
        'text/markdown': { schema: str },
        'application/pdf': { schema: { type: 'string', contentMediaType: 'application/pdf' } },
      },
    },
    querystring: { type: 'object', properties: { name: { type: 'string', description: 'Document name of a raw body.' } } },
    ok: { 201: success({ type: 'object', properties: { collection: str } }, 'Ingested.') },
  }),
  ...MIGRATION_ROUTE_SCHEMAS,
  ...NODE_TEST_ROUTE_SCHEMAS,
};
