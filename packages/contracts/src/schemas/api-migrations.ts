/**
 * API shapes of the legacy llmctl migration routes (`/api/migrations*`; shared/spec/migration.md "The report"): written
 * once as JSON Schema, the TypeScript types derived from it (`FromSchema`). The server's route schemas are these
 * schemas (with `document` referencing the flowchart-v1 component) and the studio imports the types.
 */
import type { FromSchema } from 'json-schema-to-ts';
import type { FlowchartDocument } from '../flowchart.ts';

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const nullableInt = { type: ['integer', 'null'] } as const;
const strings = { type: 'array', items: str } as const;

/** One problem of a report, placed on the translated graph by `node_id` / `edge_id`. */
export const migrationIssueSchema = {
  type: 'object', required: ['code', 'severity', 'message'], additionalProperties: false,
  properties: { code: str, severity: { enum: ['error', 'warning'] }, message: str, legacy_node_id: int, legacy_edge_id: int, node_id: str, edge_id: str },
} as const;

/** One routing-simulation case: what llmctl would fire vs what the translated decision fires. */
export const simulationCaseSchema = {
  type: 'object', required: ['description', 'input', 'legacy_targets', 'new_targets', 'equal'], additionalProperties: false,
  properties: { description: str, input: {}, legacy_targets: strings, new_targets: strings, equal: { type: 'boolean' } },
} as const;

/** The per-flowchart report (migration.md). `document` is a flowchart-v1 document. */
export const migrationReportSchema = {
  type: 'object',
  required: ['contract_version', 'source', 'generated_at', 'changed', 'before_hash', 'after_hash', 'compatibility_gate', 'issues', 'routing_simulation', 'rollback', 'document', 'apply'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', description: 'The stored report id (GET /api/migrations/:id).' },
    contract_version: { const: 'v1' },
    source: {
      type: 'object', required: ['kind', 'legacy_id', 'name'], additionalProperties: false,
      properties: { kind: { enum: ['graph_json', 'migration_snapshot', 'llmctl_api', 'llmctl_database'] }, legacy_id: int, name: str },
    },
    generated_at: str,
    changed: { type: 'boolean' },
    before_hash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    after_hash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    compatibility_gate: {
      type: 'object', required: ['status', 'blocking_issue_codes', 'warning_issue_codes', 'error_count', 'warning_count'], additionalProperties: false,
      properties: { status: { enum: ['ready', 'blocked'] }, blocking_issue_codes: strings, warning_issue_codes: strings, error_count: int, warning_count: int },
    },
    issues: { type: 'array', items: migrationIssueSchema },
    routing_simulation: {
      type: 'array',
      items: { type: 'object', required: ['decision_node_id', 'cases'], additionalProperties: false, properties: { decision_node_id: str, cases: { type: 'array', items: simulationCaseSchema } } },
    },
    rollback: {
      type: 'object', required: ['required', 'trigger_codes', 'pre_migration_hash'], additionalProperties: false,
      properties: { required: { type: 'boolean' }, trigger_codes: strings, pre_migration_hash: nullableStr },
    },
    document: { type: 'object', description: 'The translated flowchart-v1 document.' },
    apply: {
      anyOf: [
        { type: 'null' },
        {
          type: 'object', required: ['applied', 'flowchart_id', 'version', 'applied_at'], additionalProperties: false,
          properties: { applied: { type: 'boolean' }, flowchart_id: nullableStr, version: nullableInt, applied_at: nullableStr },
        },
      ],
    },
  },
} as const;

/** The answer of `POST /api/migrations/flowcharts` (migration.md). */
export const migrationBatchSchema = {
  type: 'object',
  required: ['contract_version', 'generated_at', 'apply_requested', 'strict', 'flowchart_count', 'ready_count', 'blocked_count', 'applied_count', 'reports'],
  additionalProperties: false,
  properties: {
    contract_version: { const: 'v1' }, batch_id: str, generated_at: str, apply_requested: { type: 'boolean' }, strict: { type: 'boolean' },
    flowchart_count: int, ready_count: int, blocked_count: int, applied_count: int, reports: { type: 'array', items: migrationReportSchema },
  },
} as const;

/** A stored report without its body (`GET /api/migrations` items). */
export const migrationSummarySchema = {
  type: 'object',
  required: ['id', 'batch_id', 'legacy_id', 'name', 'status', 'flowchart_id', 'applied_version', 'applied_at', 'rolled_back_at', 'created_at'],
  additionalProperties: false,
  properties: {
    id: str, batch_id: str, legacy_id: int, name: str, status: { enum: ['ready', 'blocked'] }, flowchart_id: nullableStr, applied_version: nullableInt,
    applied_at: nullableStr, rolled_back_at: nullableStr, created_at: str,
  },
} as const;

/** A stored report with its body (`GET /api/migrations/:id`). */
export const storedMigrationReportSchema = {
  type: 'object',
  required: [...migrationSummarySchema.required, 'report'],
  additionalProperties: false,
  properties: {
    ...migrationSummarySchema.properties,
    report: migrationReportSchema,
    previous_version: { ...nullableInt, description: 'The version an applied import replaced (null when it created the flowchart).' },
    created_flowchart: { type: 'boolean', description: 'Whether applying created the flowchart.' },
  },
} as const;

/** One imported flowchart of the cutover checklist. */
export const cutoverEntrySchema = {
  type: 'object',
  required: ['flowchart_id', 'legacy_id', 'name', 'latest_version', 'latest_report_id', 'latest_status', 'rehearsal'],
  additionalProperties: false,
  properties: {
    flowchart_id: str, legacy_id: int, name: str,
    latest_version: { type: 'integer', description: 'The latest version (a rehearsal of an older one does not count).' },
    latest_report_id: nullableStr,
    latest_status: { enum: ['ready', 'blocked', null] },
    rehearsal: {
      anyOf: [
        { type: 'null' },
        {
          type: 'object', required: ['run_id', 'status', 'flowchart_version', 'rehearsed_at'], additionalProperties: false,
          properties: { run_id: nullableStr, status: str, flowchart_version: int, rehearsed_at: str },
        },
      ],
    },
  },
} as const;

/** The cutover release checklist (`GET /api/migrations/cutover`, docs/migration/cutover.md). */
export const cutoverChecklistSchema = {
  type: 'object',
  required: ['enabled', 'imported', 'ready', 'blocked', 'rehearsed', 'can_enable', 'blockers', 'evidence', 'flowcharts'],
  additionalProperties: false,
  properties: {
    enabled: { type: 'boolean', description: 'agent_runtime_cutover_enabled.' },
    imported: int, ready: int, blocked: int, rehearsed: int,
    can_enable: { type: 'boolean' },
    blockers: {
      type: 'array',
      items: { type: 'object', required: ['flowchart_id', 'legacy_id', 'name', 'report_id'], additionalProperties: false, properties: { flowchart_id: str, legacy_id: int, name: str, report_id: nullableStr } },
    },
    evidence: { type: 'object', required: ['record', 'generated_by'], properties: { record: str, generated_by: str } },
    flowcharts: { type: 'array', items: cutoverEntrySchema },
  },
} as const;

type WithDocument<T> = Omit<T, 'document'> & { document: FlowchartDocument };

/** One problem of a report. */
export type MigrationIssue = FromSchema<typeof migrationIssueSchema>;
/** One routing-simulation case. */
export type SimulationCase = FromSchema<typeof simulationCaseSchema>;
/** The per-flowchart report (migration.md "The report"). */
export type MigrationReport = WithDocument<FromSchema<typeof migrationReportSchema>>;
/** The answer of `POST /api/migrations/flowcharts`. */
export type MigrationBatch = Omit<FromSchema<typeof migrationBatchSchema>, 'reports'> & { reports: MigrationReport[] };
/** A stored report without its body. */
export type MigrationSummary = FromSchema<typeof migrationSummarySchema>;
/** A stored report with its body. */
export type StoredMigrationReportView = Omit<FromSchema<typeof storedMigrationReportSchema>, 'report'> & { report: MigrationReport };
/** One imported flowchart of the cutover checklist. */
export type CutoverEntryView = FromSchema<typeof cutoverEntrySchema>;
/** The cutover release checklist. */
export type CutoverChecklist = FromSchema<typeof cutoverChecklistSchema>;
