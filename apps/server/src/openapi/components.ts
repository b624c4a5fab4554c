/**
 * The shared schemas of the OpenAPI document (`#/components/schemas/<Name>`), registered with `app.addSchema` and
 * referenced from route schemas as `{ $ref: '<Name>#' }`. Run, node run, artifact, flowchart document, error and event
 * envelope are the published contract schemas of `@llmctl/contracts`, flowchart, model and provider shapes its API
 * schemas (schemas/api-resources.ts); model bodies come from the zod schemas the model routes validate with. Response shapes are descriptive: responses are serialized as they are (never
 * filtered by these schemas), so objects here do not forbid additional properties unless the contract does.
 */
import { z } from 'zod';
import {
  CONTROL_ACTIONS, RUN_STATUSES, SCHEMAS, flowchartVersionInfoSchema, flowchartViewSchema, modelViewSchema, providerCredentialSchema, ragCollectionSchema, validationIssueSchema,
} from '@llmctl/contracts';
import { createSchema, patchSchema } from '../routes/model-input.ts';

type Json = Record<string, unknown>;

/** A `$ref` to a component. */
export function ref(name: string): Json {
  return { $ref: `${name}#` };
}

/** A published contract schema as a component: own `$id`, no `$schema` (the document's dialect applies). */
function contract(name: string, id: string, extraProperties: Json = {}): Json {
  const { $schema: _s, $id: _i, ...rest } = SCHEMAS[name] as Json;
  const props = (rest.properties ?? {}) as Json;
  return { ...rest, $id: id, ...(Object.keys(extraProperties).length ? { properties: { ...props, ...extraProperties } } : {}) };
}

function fromZod(id: string, schema: z.ZodType, description: string): Json {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  return { ...rest, $id: id, description };
}

const str = { type: 'string' };
const nullableStr = { type: ['string', 'null'] };
const time = { type: 'string', format: 'date-time' };
const obj = { type: 'object' };

const issue = { ...validationIssueSchema, $id: 'ValidationIssue' };

/** Every component schema, in document order. */
export const COMPONENTS: Json[] = [
  contract('error-envelope', 'ErrorEnvelope'),
  contract('event-envelope', 'EventEnvelope'),
  contract('flowchart-v1', 'FlowchartDocument'),
  contract('node-run', 'NodeRun'),
  contract('run', 'Run', { last_sequence: { type: 'integer', minimum: 0, description: 'Sequence of the run\'s last logged event.' } }),
  contract('artifact', 'Artifact'),
  issue,
  {
    $id: 'ValidationResult', type: 'object', required: ['valid', 'errors', 'warnings'],
    properties: { valid: { type: 'boolean' }, errors: { type: 'array', items: ref('ValidationIssue') }, warnings: { type: 'array', items: ref('ValidationIssue') } },
  },
  { ...flowchartViewSchema, $id: 'Flowchart', properties: { ...flowchartViewSchema.properties, document: ref('FlowchartDocument'), warnings: { type: 'array', items: ref('ValidationIssue') } } },
  { ...flowchartVersionInfoSchema, $id: 'FlowchartVersionInfo' },
  { ...modelViewSchema, $id: 'Model' },
  fromZod('ModelCreate', createSchema, 'A new model: `name` unique (else 409 name_taken); `model` defaults to `scripted` for the scripted provider.'),
  fromZod('ModelUpdate', patchSchema, 'Fields present replace, absent keep.'),
  { ...providerCredentialSchema, $id: 'ProviderCredential' },
  {
    $id: 'ProviderCredentialInput', type: 'object', additionalProperties: false,
    description: 'The key is write-only: `null` removes it, absent keeps it.',
    properties: { api_key: nullableStr, base_url: { type: ['string', 'null'], pattern: '^https?://' }, settings: obj },
  },
  {
    $id: 'RuntimeSettings', type: 'object',
    properties: {
      executor: { enum: ['inline', 'queue', 'kubernetes'] },
      images: obj, timeouts: obj, guardrails: obj, retention: obj, updated_at: { type: ['string', 'null'], format: 'date-time' },
      agent_runtime_cutover_enabled: { type: 'boolean', description: 'Legacy llmctl cutover switch (docs/migration/cutover.md).' },
    },
  },
  {
    $id: 'ControlRequest', type: 'object', required: ['action'],
    properties: {
      action: { enum: [...CONTROL_ACTIONS] }, node_run_id: str, output: {}, input_override: {}, mode: { enum: ['now', 'graceful'] },
      reason: { type: 'string', maxLength: 1000 },
    },
  },
  {
    $id: 'ControlResult', type: 'object', required: ['run'],
    properties: { run: ref('Run'), superseded_node_run_ids: { type: 'array', items: str }, side_effects: { type: 'array', items: obj } },
  },
  {
    $id: 'Span', type: 'object', description: 'A trace span: run → node runs → attempts → model calls / tool calls.',
    required: ['span_id', 'parent_span_id', 'kind', 'name', 'status', 'started_at', 'finished_at', 'duration_ms', 'attributes', 'error', 'children'],
    properties: {
      span_id: str, parent_span_id: nullableStr, kind: { enum: ['run', 'node_run', 'attempt', 'model_call', 'tool_call'] }, name: str, status: str,
      started_at: { type: ['string', 'null'] }, finished_at: { type: ['string', 'null'] }, duration_ms: { type: ['number', 'null'] },
      attributes: obj, error: {}, children: { type: 'array', items: ref('Span') },
    },
  },
  {
    $id: 'Memory', type: 'object', required: ['id', 'scope', 'text', 'created_at'],
    properties: { id: str, scope: str, text: str, flowchart_id: nullableStr, run_id: nullableStr, node_run_id: nullableStr, created_at: time },
  },
  {
    $id: 'Plan', type: 'object', required: ['run_id', 'plan_key', 'items', 'status', 'updated_at'],
    properties: { run_id: str, plan_key: str, flowchart_id: nullableStr, items: { type: 'array', items: obj }, status: { enum: ['open', 'completed'] }, updated_at: time },
  },
  {
    $id: 'Milestone', type: 'object', required: ['run_id', 'milestone_key', 'title', 'status', 'updated_at'],
    properties: { run_id: str, milestone_key: str, flowchart_id: nullableStr, title: str, status: str, updated_at: time },
  },
  { ...ragCollectionSchema, $id: 'RagCollection' },
  {
    $id: 'Page', type: 'object', required: ['page', 'per_page', 'total'],
    properties: { page: { type: 'integer', minimum: 1 }, per_page: { type: 'integer', minimum: 1, maximum: 100 }, total: { type: 'integer', minimum: 0 } },
  },
];

/** Run statuses (for the `status` filter of `GET /api/runs`). */
export const RUN_STATUS_ENUM = [...RUN_STATUSES];
