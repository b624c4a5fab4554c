/**
 * OpenAPI schemas of the legacy llmctl migration routes (routes/migrations.ts; docs/migration/runbook.md), merged into
 * ROUTE_SCHEMAS. The report shape is shared/spec/migration.md "The report".
 */
type Json = Record<string, unknown>;

const str = { type: 'string' };
const int = { type: 'integer' };
const nullable = (t: string): Json => ({ type: [t, 'null'] });
const errorResponses = { '4xx': { description: 'The error envelope (api.md "Conventions").', $ref: 'ErrorEnvelope#' }, '5xx': { description: 'The error envelope.', $ref: 'ErrorEnvelope#' } };

function success(data: Json, description: string, extra: Json = {}): Json {
  return { description, type: 'object', required: ['ok', 'data', 'request_id', 'correlation_id'], properties: { ok: { const: true }, data, ...extra, request_id: str, correlation_id: str } };
}

const issue: Json = {
  type: 'object', required: ['code', 'severity', 'message'],
  properties: { code: str, severity: { enum: ['error', 'warning'] }, message: str, legacy_node_id: int, legacy_edge_id: int, node_id: str, edge_id: str },
};
const simulation: Json = {
  type: 'object', required: ['decision_node_id', 'cases'],
  properties: {
    decision_node_id: str,
    cases: { type: 'array', items: { type: 'object', required: ['description', 'input', 'legacy_targets', 'new_targets', 'equal'], properties: { description: str, input: {}, legacy_targets: { type: 'array', items: str }, new_targets: { type: 'array', items: str }, equal: { type: 'boolean' } } } },
  },
};

/** One per-flowchart report (migration.md). */
export const MIGRATION_REPORT_SCHEMA: Json = {
  type: 'object',
  required: ['contract_version', 'source', 'generated_at', 'changed', 'before_hash', 'after_hash', 'compatibility_gate', 'issues', 'routing_simulation', 'rollback', 'document', 'apply'],
  properties: {
    id: { type: 'string', description: 'The stored report id (GET /api/migrations/:id).' },
    contract_version: { const: 'v1' },
    source: { type: 'object', properties: { kind: { enum: ['graph_json', 'migration_snapshot', 'llmctl_api', 'llmctl_database'] }, legacy_id: int, name: str } },
    generated_at: str, changed: { type: 'boolean' },
    before_hash: { type: 'string', pattern: '^[0-9a-f]{64}$' }, after_hash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    compatibility_gate: {
      type: 'object',
      properties: { status: { enum: ['ready', 'blocked'] }, blocking_issue_codes: { type: 'array', items: str }, warning_issue_codes: { type: 'array', items: str }, error_count: int, warning_count: int },
    },
    issues: { type: 'array', items: issue },
    routing_simulation: { type: 'array', items: simulation },
    rollback: { type: 'object', properties: { required: { type: 'boolean' }, trigger_codes: { type: 'array', items: str }, pre_migration_hash: nullable('string') } },
    document: { $ref: 'FlowchartDocument#' },
    apply: { anyOf: [{ type: 'null' }, { type: 'object', properties: { applied: { type: 'boolean' }, flowchart_id: nullable('string'), version: nullable('integer'), applied_at: nullable('string') } }] },
  },
};

const batch: Json = {
  type: 'object', required: ['contract_version', 'generated_at', 'apply_requested', 'strict', 'flowchart_count', 'ready_count', 'blocked_count', 'applied_count', 'reports'],
  properties: {
    contract_version: { const: 'v1' }, batch_id: str, generated_at: str, apply_requested: { type: 'boolean' }, strict: { type: 'boolean' },
    flowchart_count: int, ready_count: int, blocked_count: int, applied_count: int, reports: { type: 'array', items: MIGRATION_REPORT_SCHEMA },
  },
};
const summary: Json = {
  type: 'object',
  properties: { id: str, batch_id: str, legacy_id: int, name: str, status: { enum: ['ready', 'blocked'] }, flowchart_id: nullable('string'), applied_version: nullable('integer'), applied_at: nullable('string'), rolled_back_at: nullable('string'), created_at: str },
};
const checklist: Json = {
  type: 'object', required: ['enabled', 'imported', 'ready', 'blocked', 'rehearsed', 'flowcharts'],
  properties: {
    enabled: { type: 'boolean', description: 'agent_runtime_cutover_enabled.' }, imported: int, ready: int, blocked: int, rehearsed: int,
    can_enable: { type: 'boolean' }, blockers: { type: 'array', items: { type: 'object' } }, evidence: { type: 'object' },
    flowcharts: { type: 'array', items: { type: 'object' } },
  },
};
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', description: 'The report id (a malformed one is 404 not_found).' } } };

function schema(summaryText: string, ok: Record<number, Json>, extra: Json = {}): Json {
  const body = extra.body as Json | undefined;
  return { tags: ['migrations'], summary: summaryText, ...extra, ...(body ? { body: { ...body, 'x-validated-by': 'handler' } } : {}), response: { ...ok, ...errorResponses } };
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
  }),
  'GET /api/migrations/:id': schema('One stored report', { 200: success({ type: 'object', properties: { ...summary.properties as Json, report: MIGRATION_REPORT_SCHEMA } }, 'The report.') }, { params: idParams }),
  'POST /api/migrations/:id/rollback': schema('Roll back an applied report', {
    200: success({ type: 'object', properties: { report_id: str, action: { enum: ['restored', 'deleted'] }, flowchart_id: str, version: nullable('integer'), hash: nullable('string'), pre_migration_hash: nullable('string') } }, 'What was restored or deleted.'),
  }, { params: idParams }),
};
