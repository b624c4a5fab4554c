import { RUN_STATUSES } from '../run.ts';
import { dateTime, errorInfo, nonEmptyString, nullableDateTime, nullableString, schemaHeader, warning } from './common.ts';
import { nodeRunBody } from './node-run.ts';

/** A run as the API returns it (api.md "Main shapes"). Mirrors `Run`; `node_runs` is present on single-run reads. */
export const runSchema = {
  ...schemaHeader('run', 'Run', 'One execution of a pinned flowchart version.'),
  type: 'object',
  required: [
    'id', 'flowchart_id', 'flowchart_version', 'status', 'input', 'output', 'error', 'warnings', 'leftover_tokens',
    'continued_from', 'continued_to', 'parent_run_id', 'created_at', 'started_at', 'finished_at',
  ],
  additionalProperties: false,
  properties: {
    id: nonEmptyString,
    flowchart_id: nonEmptyString,
    flowchart_version: { type: 'integer', minimum: 1 },
    status: { enum: [...RUN_STATUSES] },
    input: true,
    output: true,
    error: { anyOf: [errorInfo, { type: 'null' }] },
    warnings: { type: 'array', items: warning },
    leftover_tokens: {
      type: 'array',
      items: {
        type: 'object',
        required: ['node_id', 'connector_id', 'source_node_run_id'],
        additionalProperties: false,
        properties: { node_id: nonEmptyString, connector_id: nonEmptyString, source_node_run_id: nonEmptyString },
      },
    },
    continued_from: nullableString,
    continued_to: nullableString,
    continuation: { type: 'integer', minimum: 0, description: 'Position in a continue-as-new chain: 0 for a first run, +1 per continue-as-new.' },
    parent_run_id: nullableString,
    created_at: dateTime,
    started_at: nullableDateTime,
    finished_at: nullableDateTime,
    node_runs: { type: 'array', items: nodeRunBody },
  },
} as const;
