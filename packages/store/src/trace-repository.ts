import type pg from 'pg';
import type { NodeRun } from '@llmctl/contracts';
import { attachExecutors } from './executor-views.ts';
import { kyselyOf } from './db/kysely.ts';

/** Rows a run's trace is built from. */
export interface TraceRows {
  run: { id: string; flowchart_id: string; flowchart_version: number; status: string; created_at: string; started_at: string | null; finished_at: string | null; error: unknown; correlation_id: string | null } | null;
  node_runs: { id: string; node_id: string; node_type: string; iteration: number; status: string; outcome: string | null; started_at: string | null; finished_at: string | null; attempts: { n: number; started_at: string; finished_at: string | null; error: unknown; executor?: unknown }[]; error: unknown; usage: unknown; idempotency_key: string; retry_of: string | null; rewound_from: string | null; executor?: unknown }[];
  model_calls: {
    id: string; node_run_id: string; attempt: number; kind: string; model_name: string; provider: string; status: string; error: unknown; usage: unknown;
    started_at: string; finished_at: string | null; idempotency_key: string | null; step: number | null; repair_attempt: number | null;
    request: unknown; response: unknown; parsed_output: unknown; latency_ms: number | null; cost: number | null; replayed_from: string | null;
  }[];
  tool_calls: { idempotency_key: string; node_run_id: string; tool: string; status: string; attempts: number; started_at: string; finished_at: string | null; input: unknown; result: unknown }[];
}

/** Reads everything a run's trace shows (run → node runs → attempts → model and tool calls). */
export async function readTraceRows(pool: pg.Pool, runId: string): Promise<TraceRows> {
  const db = kyselyOf(pool);
  const [run, nodeRuns, modelCalls, toolCalls] = await Promise.all([
    db.selectFrom('runs').select(['id', 'flowchart_id', 'flowchart_version', 'status', 'created_at', 'started_at', 'finished_at', 'error', 'correlation_id'])
      .where('id', '=', runId).executeTakeFirst(),
    db.selectFrom('node_runs').select(['id', 'node_id', 'node_type', 'iteration', 'status', 'outcome', 'started_at', 'finished_at', 'attempts', 'error',
      'usage', 'idempotency_key', 'retry_of', 'rewound_from']).where('run_id', '=', runId).orderBy('created_order').execute(),
    db.selectFrom('model_calls').select(['id', 'node_run_id', 'attempt', 'kind', 'model_name', 'provider', 'status', 'error', 'usage', 'started_at', 'finished_at',
      'idempotency_key', 'step', 'repair_attempt', 'request', 'response', 'parsed_output', 'latency_ms', 'cost', 'replayed_from'])
      .where('run_id', '=', runId).orderBy('started_at').orderBy('id').execute(),
    db.selectFrom('tool_calls').select(['idempotency_key', 'node_run_id', 'tool', 'status', 'attempts', 'started_at', 'finished_at', 'input', 'result'])
      .where('run_id', '=', runId).orderBy('started_at').execute(),
  ]);
  await attachExecutors(pool, runId, nodeRuns as unknown as NodeRun[]);
  return { run: run ?? null, node_runs: nodeRuns, model_calls: modelCalls, tool_calls: toolCalls } as TraceRows;
}
