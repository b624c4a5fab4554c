/**
 * The JSON Schema of one logged run event at the current event format version ({@link EVENT_FORMAT_VERSION}): the
 * `payload` of every `GET /api/runs/:id/events` item and of every sequenced realtime event. One `$defs` entry per event
 * kind; `kind` selects it. Older logged events are upcast (`upcastRunEvent`) before they are validated or folded.
 */
import { EVENT_FORMAT_VERSION } from '../events/format.ts';
import { CHILD_RUN_END_STATUSES, RUN_STATUSES } from '../run.ts';
import { dateTime, errorInfo, nonEmptyString, nullableString, routingRecord, schemaHeader, warning } from './common.ts';

const int = { type: 'integer' } as const;
const any = {} as const;
const nullableError = { anyOf: [errorInfo, { type: 'null' }] } as const;
const runStatus = { enum: [...RUN_STATUSES] } as const;
const strings = { type: 'array', items: nonEmptyString } as const;

/** A token on a trigger connector (`connector_id` null: the run input handed to the start node). */
export const tokenSchema = {
  type: 'object',
  required: ['connector_id', 'source_node_id', 'source_node_run_id', 'output', 'seq', 'order'],
  additionalProperties: false,
  properties: { connector_id: nullableString, source_node_id: nullableString, source_node_run_id: nullableString, output: any, seq: int, order: int },
} as const;

/** A token a join still held when its round closed or the run finished. */
export const leftoverTokenSchema = {
  type: 'object',
  required: ['node_id', 'connector_id', 'source_node_run_id'],
  additionalProperties: false,
  properties: { node_id: nonEmptyString, connector_id: nonEmptyString, source_node_run_id: nonEmptyString },
} as const;

const joinState = {
  type: 'object',
  required: ['queues', 'round_open', 'fired_in_round', 'held', 'filled'],
  additionalProperties: false,
  properties: {
    queues: { type: 'object', additionalProperties: { type: 'array', items: tokenSchema } },
    round_open: { type: 'boolean' },
    fired_in_round: { type: 'boolean' },
    held: { type: 'integer', minimum: 0 },
    filled: { type: 'integer', minimum: 0 },
  },
} as const;

const newNodeRun = {
  type: 'object',
  required: ['id', 'node_id', 'node_type', 'iteration', 'tokens', 'idempotency_key', 'retry_of', 'rewound_from'],
  additionalProperties: false,
  properties: {
    id: nonEmptyString, node_id: nonEmptyString, node_type: nonEmptyString, iteration: { type: 'integer', minimum: 1 },
    tokens: { type: 'array', items: tokenSchema }, idempotency_key: nonEmptyString, retry_of: nullableString, rewound_from: nullableString,
  },
} as const;

const base = { v: { const: EVENT_FORMAT_VERSION }, at: dateTime } as const;
const nodeBase = { ...base, node_id: nonEmptyString, node_run_id: nonEmptyString } as const;

/** Builds one kind's schema: `kind`, `v` and `at` are always required. */
function kindSchema<K extends string, P extends Record<string, unknown>, R extends readonly (keyof P & string)[]>(kind: K, properties: P, required: R) {
  return {
    type: 'object',
    required: ['kind', 'v', 'at', ...required],
    additionalProperties: false,
    properties: { kind: { const: kind }, ...properties },
  } as const;
}

/** The schema of each event kind (its `properties` keys are checked against the engine's `EngineEvent` type). */
export const RUN_EVENT_KIND_SCHEMAS = {
  'run.started': kindSchema('run.started', { ...base, input: any, continuation: { type: 'integer', minimum: 0 } }, ['input']),
  'run.status': kindSchema('run.status', {
    ...base, status: runStatus, from: runStatus, error: nullableError, output: any, leftover_tokens: { type: 'array', items: leftoverTokenSchema },
    continue_as_new: { type: 'object', required: ['input'], additionalProperties: false, properties: { input: any } }, reason: { type: 'string' },
  }, ['status', 'from']),
  'run.warning': kindSchema('run.warning', { ...base, warning }, ['warning']),
  'run.control': kindSchema('run.control', { ...base, action: nonEmptyString, actor: { type: 'string' }, reason: nullableString, params: { type: 'object' } }, ['action', 'actor', 'reason', 'params']),
  'run.rewound': kindSchema('run.rewound', {
    ...base, node_run_id: nonEmptyString, checkpoint_seq: { type: 'integer', minimum: 0 }, superseded: strings,
    joins: { type: 'object', additionalProperties: joinState }, iterations: { type: 'object', additionalProperties: int }, input: any,
  }, ['node_run_id', 'checkpoint_seq', 'superseded', 'joins', 'iterations']),
  'node.queued': kindSchema('node.queued', {
    ...base, node_id: nonEmptyString, node_run: newNodeRun,
    join: { type: 'object', required: ['consumed'], additionalProperties: false, properties: { consumed: strings } },
  }, ['node_id', 'node_run']),
  'node.started': kindSchema('node.started', { ...nodeBase, context: { type: 'object' } }, ['node_id', 'node_run_id', 'context']),
  'node.attempt_started': kindSchema('node.attempt_started', { ...nodeBase, n: { type: 'integer', minimum: 1 } }, ['node_id', 'node_run_id', 'n']),
  'node.attempt_failed': kindSchema('node.attempt_failed', { ...nodeBase, n: { type: 'integer', minimum: 1 }, error: errorInfo }, ['node_id', 'node_run_id', 'n', 'error']),
  'node.succeeded': kindSchema('node.succeeded', {
    ...nodeBase, output: any, routing: routingRecord, outcome: { enum: ['success', 'success_with_warning'] }, fallback_used: { type: 'boolean' },
    degraded_reason: nullableString, warnings: { type: 'array', items: warning }, usage: { type: ['object', 'null'] },
  }, ['node_id', 'node_run_id', 'output', 'routing', 'outcome', 'fallback_used', 'degraded_reason', 'warnings', 'usage']),
  'node.failed': kindSchema('node.failed', { ...nodeBase, error: errorInfo, warnings: { type: 'array', items: warning } }, ['node_id', 'node_run_id', 'error']),
  'node.skipped': kindSchema('node.skipped', { ...nodeBase, output: any, routing: routingRecord }, ['node_id', 'node_run_id', 'output', 'routing']),
  'node.requeued': kindSchema('node.requeued', { ...nodeBase, reason: { type: 'string' } }, ['node_id', 'node_run_id', 'reason']),
  'node.canceled': kindSchema('node.canceled', { ...nodeBase, reason: { type: 'string' } }, ['node_id', 'node_run_id', 'reason']),
  'token.enqueued': kindSchema('token.enqueued', { ...base, node_id: nonEmptyString, connector_id: nonEmptyString, token: tokenSchema }, ['node_id', 'connector_id', 'token']),
  'join.discarded': kindSchema('join.discarded', { ...base, node_id: nonEmptyString, tokens: { type: 'array', items: leftoverTokenSchema } }, ['node_id', 'tokens']),
  'subflow.child_started': kindSchema('subflow.child_started', { ...nodeBase, child_run_id: nonEmptyString, flowchart_id: nonEmptyString }, ['node_id', 'node_run_id', 'child_run_id', 'flowchart_id']),
  'subflow.child_finished': kindSchema('subflow.child_finished', {
    ...nodeBase, child_run_id: nonEmptyString, flowchart_id: nonEmptyString, status: { enum: [...CHILD_RUN_END_STATUSES] }, error: nullableError,
  }, ['node_id', 'node_run_id', 'child_run_id', 'flowchart_id', 'status', 'error']),
} as const;

/** Every logged event kind, in schema order. */
export const RUN_EVENT_KINDS = Object.keys(RUN_EVENT_KIND_SCHEMAS) as (keyof typeof RUN_EVENT_KIND_SCHEMAS)[];

/** A logged event kind. */
export type RunEventKind = keyof typeof RUN_EVENT_KIND_SCHEMAS;

/** The published `run-event` schema: `kind` picks one of `$defs` (if/then, so a violation names the kind's own rule). */
export const runEventSchema = {
  ...schemaHeader('run-event', 'Run event', `One logged run event (the payload of a sequenced event), event format version ${EVENT_FORMAT_VERSION}.`),
  type: 'object',
  required: ['kind', 'v', 'at'],
  properties: { kind: { enum: [...RUN_EVENT_KINDS] }, v: { const: EVENT_FORMAT_VERSION }, at: dateTime },
  $defs: RUN_EVENT_KIND_SCHEMAS,
  allOf: RUN_EVENT_KINDS.map((k) => ({ if: { type: 'object', properties: { kind: { const: k } }, required: ['kind'] }, then: { $ref: `#/$defs/${k}` } })),
} as const;
