import { CHILD_RUN_END_STATUSES, NODE_RUN_STATUSES } from '../run.ts';
import { NODE_TYPES } from '../flowchart.ts';
import { dateTime, errorInfo, nonEmptyString, nullableDateTime, nullableString, routingRecord, schemaHeader, warning } from './common.ts';

/** Where an attempt ran (executors.md "Dispatch contract"). Mirrors `ExecutorInfo`. */
const executorInfo = {
  type: 'object',
  required: ['backend', 'class', 'worker_id', 'job_id', 'image', 'dispatch_state', 'degraded_reason'],
  additionalProperties: false,
  properties: {
    backend: { enum: ['inline', 'queue', 'kubernetes'] },
    class: { enum: ['frontier', 'vllm'] },
    worker_id: nullableString,
    job_id: nullableString,
    image: nullableString,
    dispatch_state: { enum: ['pending', 'submitted', 'confirmed', 'finished', 'failed'] },
    degraded_reason: nullableString,
  },
} as const;

/** A `flowchart` node run's child run as the parent's log records it. Mirrors `ChildRunRef`. */
export const childRunRef = {
  type: 'object',
  required: ['id', 'flowchart_id', 'status', 'error', 'started_at', 'finished_at'],
  additionalProperties: false,
  properties: {
    id: nonEmptyString,
    flowchart_id: nonEmptyString,
    status: { enum: ['started', ...CHILD_RUN_END_STATUSES] },
    error: { anyOf: [errorInfo, { type: 'null' }] },
    started_at: dateTime,
    finished_at: nullableDateTime,
  },
} as const;

/** A node run without header (inlined by `run`). Mirrors `NodeRun`. */
export const nodeRunBody = {
  type: 'object',
  required: [
    'id', 'node_id', 'node_type', 'iteration', 'status', 'outcome', 'fallback_used', 'degraded_reason', 'warnings', 'error',
    'input_snapshot', 'output', 'routing', 'attempts', 'idempotency_key', 'retry_of', 'rewound_from', 'started_at',
    'finished_at', 'usage',
  ],
  additionalProperties: false,
  properties: {
    id: nonEmptyString,
    node_id: nonEmptyString,
    node_type: { enum: [...NODE_TYPES] },
    iteration: { type: 'integer', minimum: 1 },
    status: { enum: [...NODE_RUN_STATUSES] },
    outcome: { enum: ['success', 'success_with_warning', null] },
    fallback_used: { type: 'boolean' },
    degraded_reason: nullableString,
    warnings: { type: 'array', items: warning },
    error: { anyOf: [errorInfo, { type: 'null' }] },
    input_snapshot: {
      type: 'object',
      required: ['tokens', 'upstream'],
      additionalProperties: false,
      properties: {
        tokens: {
          type: 'array',
          items: {
            type: 'object',
            required: ['connector_id', 'source_node_run_id', 'source_node_id', 'output'],
            additionalProperties: false,
            properties: {
              connector_id: nullableString,
              source_node_run_id: nullableString,
              source_node_id: nullableString,
              output: true,
            },
          },
        },
        upstream: { type: 'object' },
        context: { type: 'object' },
      },
    },
    output: true,
    routing: { anyOf: [routingRecord, { type: 'null' }] },
    attempts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['n', 'started_at', 'finished_at', 'error'],
        additionalProperties: false,
        properties: {
          n: { type: 'integer', minimum: 1 },
          started_at: dateTime,
          finished_at: nullableDateTime,
          error: { anyOf: [errorInfo, { type: 'null' }] },
          executor: executorInfo,
        },
      },
    },
    idempotency_key: nonEmptyString,
    retry_of: nullableString,
    rewound_from: nullableString,
    started_at: nullableDateTime,
    finished_at: nullableDateTime,
    usage: { type: ['object', 'null'] },
    executor: executorInfo,
    child_run: childRunRef,
  },
} as const;

/** A node run as the API returns it (api.md "Main shapes"). */
export const nodeRunSchema = {
  ...schemaHeader('node-run', 'Node run', 'One activation of a node within a run.'),
  ...nodeRunBody,
} as const;
