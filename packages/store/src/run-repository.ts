import type pg from 'pg';
import type { NodeRun, Run } from '@llmctl/contracts';
import { LlmctlError } from '@llmctl/contracts';
import type { ListParams, ListResult } from './list-params.ts';
import { likeSubstring, offsetOf } from './list-params.ts';
import { attachExecutors } from './executor-views.ts';

export const RUN_SORTS = ['created_at', 'updated_at', 'status'] as const;
export type RunSort = (typeof RUN_SORTS)[number];

const RUN_SELECT = `id, flowchart_id, flowchart_version, status, input, output, error, warnings, leftover_tokens, continued_from,
  continued_to, continuation, parent_run_id, created_at, started_at, finished_at, last_sequence`;

const NODE_RUN_SELECT = `id, node_id, node_type, iteration, status, outcome, fallback_used, degraded_reason, warnings, error,
  input_snapshot, output, routing, attempts, idempotency_key, retry_of, rewound_from, started_at, finished_at, usage`;

/** A run as the API shows it, with the sequence of its last logged event. */
export type RunView = Run & { last_sequence: number };

/** A logged event row. */
export interface RunEventRow {
  run_id: string;
  sequence: number;
  event_id: string;
  event_type: string;
  payload: Record<string, unknown>;
  request_id: string | null;
  correlation_id: string | null;
  created_at: string;
}

/** Read side of runs: the API shapes of runs, node runs and the event log. */
export class RunRepository {
  constructor(private readonly pool: pg.Pool) {}

  async get(runId: string, withNodeRuns = true): Promise<RunView | null> {
    const r = await this.pool.query(`SELECT ${RUN_SELECT} FROM runs WHERE id = $1`, [runId]);
    const run = r.rows[0] as RunView | undefined;
    if (!run) return null;
    if (withNodeRuns) run.node_runs = await this.nodeRuns(runId);
    return run;
  }

  async nodeRuns(runId: string): Promise<NodeRun[]> {
    const r = await this.pool.query(`SELECT ${NODE_RUN_SELECT} FROM node_runs WHERE run_id = $1 ORDER BY created_order`, [runId]);
    const nodeRuns = r.rows as NodeRun[];
    await attachExecutors(this.pool, runId, nodeRuns);
    return nodeRuns;
  }

  async list(filter: { flowchart_id?: string; status?: string }, p: ListParams<RunSort>): Promise<ListResult<Run>> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.flowchart_id) {
      args.push(filter.flowchart_id);
      where.push(`flowchart_id = $${args.length}`);
    }
    if (filter.status) {
      args.push(filter.status);
      where.push(`status = $${args.length}`);
    }
    if (p.q) {
      args.push(likeSubstring(p.q));
      where.push(`(lower(id) LIKE $${args.length} OR flowchart_id IN (SELECT id FROM flowcharts WHERE lower(name) LIKE $${args.length}))`);
    }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = await this.pool.query(`SELECT count(*)::int AS n FROM runs ${w}`, args);
    const rows = await this.pool.query(
      `SELECT ${RUN_SELECT} FROM runs ${w} ORDER BY ${p.sort} ${p.order === 'asc' ? 'ASC' : 'DESC'}, id LIMIT ${p.per_page} OFFSET ${offsetOf(p)}`,
      args,
    );
    return { items: rows.rows as Run[], page: { page: p.page, per_page: p.per_page, total: (total.rows[0] as { n: number }).n } };
  }

  async events(runId: string, afterSequence: number, limit: number): Promise<RunEventRow[]> {
    const r = await this.pool.query(
      `SELECT run_id, sequence, event_id, event_type, payload, request_id, correlation_id, created_at FROM run_events
       WHERE run_id = $1 AND sequence > $2 ORDER BY sequence LIMIT $3`,
      [runId, afterSequence, limit],
    );
    return r.rows as RunEventRow[];
  }

  /** Throws not_found for an unknown run. */
  async require(runId: string): Promise<RunView> {
    const run = await this.get(runId);
    if (!run) throw new LlmctlError('not_found', `run ${runId} not found`, { run_id: runId });
    return run;
  }

  /** Active runs of a flowchart (delete is refused while there are any). */
  async countActive(flowchartId: string): Promise<number> {
    const r = await this.pool.query(`SELECT count(*)::int AS n FROM runs WHERE flowchart_id = $1 AND status IN ('queued','running','pausing','paused','canceling')`, [flowchartId]);
    return (r.rows[0] as { n: number }).n;
  }
}
