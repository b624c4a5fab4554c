import pg from 'pg';
import type { NodeRun, Run } from '@llmctl/contracts';
import { LlmctlError } from '@llmctl/contracts';
import type { ListParams, ListResult } from './list-params.ts';
import { likeSubstring, offsetOf } from './list-params.ts';
import { VLLM_MODEL_NAMES_SQL, applyExecutors, attachExecutors, dispatchRowsSql, vllmNodesSql } from './executor-views.ts';
import { attachChildRuns } from './child-runs.ts';
import { INPUT_SNAPSHOT_SQL, NODE_OUTPUT_JOIN, NODE_OUTPUT_SQL, expandEvents, expandInputSnapshot } from './stored-outputs.ts';

export const RUN_SORTS = ['created_at', 'updated_at', 'status'] as const;
export type RunSort = (typeof RUN_SORTS)[number];

const RUN_SELECT = `id, flowchart_id, flowchart_version, status, input, output, error, warnings, leftover_tokens, continued_from,
  continued_to, continuation, parent_run_id, created_at, started_at, finished_at, last_sequence`;

const NODE_RUN_SELECT = `n.id, n.node_id, n.node_type, n.iteration, n.status, n.outcome, n.fallback_used, n.degraded_reason, n.warnings, n.error,
  ${INPUT_SNAPSHOT_SQL}, ${NODE_OUTPUT_SQL}, n.attempts, n.idempotency_key, n.retry_of, n.rewound_from, n.started_at, n.finished_at, n.usage`;

/** The node runs of run `runIdExpr` (a parameter or an escaped literal) in creation order, outputs from their events. */
function nodeRunsSql(runIdExpr: string): string {
  return `SELECT ${NODE_RUN_SELECT} FROM node_runs n ${NODE_OUTPUT_JOIN} WHERE n.run_id = ${runIdExpr} ORDER BY n.created_order`;
}

/** Expands the stored input snapshots of a run's node runs (token outputs from their source node runs, `upstream`). */
function expandNodeRuns(nodeRuns: NodeRun[]): NodeRun[] {
  const outputs = new Map(nodeRuns.map((n) => [n.id, n.output]));
  for (const n of nodeRuns) n.input_snapshot = expandInputSnapshot(n.input_snapshot, (id) => outputs.get(id));
  return nodeRuns;
}

/** Lists count matching runs exactly up to this many; above it, `total` is the planner's estimate (`total_estimated`). */
export const ESTIMATE_TOTAL_ABOVE = 10_000;

function encodeCursor(value: string, id: string): string {
  return Buffer.from(JSON.stringify([value, id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string' && v[0].length < 64 && v[1].length < 128) return [v[0], v[1]];
  } catch {
    // fall through
  }
  throw new LlmctlError('validation_failed', 'cursor is not a cursor this list returned (use page.next_cursor as it was given).', { errors: [{ path: 'cursor', message: 'invalid cursor' }] });
}

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

  /**
   * A run as the API shows it; with its node runs (and their executors) unless `withNodeRuns` is false. The whole
   * view is ONE round trip: the run row, its node runs, its dispatch rows and the names of local vLLM models go as one
   * multi-statement query (simple protocol, so the id is sent as an escaped literal); a second one finds the run's
   * vLLM nodes only when such models exist, and one more reads a flowchart node run's `child_run` only when the run
   * has one (child-runs.ts).
   */
  async get(runId: string, withNodeRuns = true): Promise<RunView | null> {
    if (!withNodeRuns) {
      const r = await this.pool.query(`SELECT ${RUN_SELECT} FROM runs WHERE id = $1`, [runId]);
      return (r.rows[0] as RunView | undefined) ?? null;
    }
    const id = pg.escapeLiteral(runId);
    const results = (await this.pool.query(`SELECT ${RUN_SELECT} FROM runs WHERE id = ${id};
      ${nodeRunsSql(id)};
      ${dispatchRowsSql(id)};
      ${VLLM_MODEL_NAMES_SQL}`)) as unknown as pg.QueryResult[];
    const run = results[0]!.rows[0] as RunView | undefined;
    if (!run) return null;
    const nodeRuns = expandNodeRuns(results[1]!.rows as NodeRun[]);
    // Which nodes run on a local vLLM model needs the flowchart document: read only when such models exist. A flowchart
    // node run's child_run comes from the run's subflow events: read only when the run has one (child-runs.ts).
    const [vllm] = await Promise.all([
      results[3]!.rows.length > 0 && nodeRuns.length > 0 ? this.pool.query(vllmNodesSql('$1'), [runId]).then((r) => r.rows) : [],
      attachChildRuns(this.pool, runId, nodeRuns),
    ]);
    applyExecutors(nodeRuns, results[2]!.rows, vllm as { node_id: string }[]);
    run.node_runs = nodeRuns;
    return run;
  }

  /**
   * The node runs of a run as the API shows them: outputs read from the events that logged them, input snapshots
   * expanded (token outputs from their source node runs, `upstream` derived; see stored-outputs.ts), a flowchart
   * node run's `child_run` from the run's log (child-runs.ts).
   */
  async nodeRuns(runId: string): Promise<NodeRun[]> {
    const r = await this.pool.query(nodeRunsSql('$1'), [runId]);
    const nodeRuns = expandNodeRuns(r.rows as NodeRun[]);
    await Promise.all([attachExecutors(this.pool, runId, nodeRuns), attachChildRuns(this.pool, runId, nodeRuns)]);
    return nodeRuns;
  }

  /**
   * A page of runs, newest first by default. Pages by number (`OFFSET`), or — faster for deep pages — after a
   * keyset `cursor` (the `next_cursor` of the previous page; `page` is then ignored). `total` is exact up to
   * {@link ESTIMATE_TOTAL_ABOVE} matching runs, PostgreSQL's estimate above (`total_estimated: true`).
   */
  async list(filter: { flowchart_id?: string; status?: string; created_after?: string }, p: ListParams<RunSort>, cursor?: string): Promise<ListResult<Run> & { next_cursor: string | null; total_estimated: boolean }> {
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
    if (filter.created_after) {
      args.push(filter.created_after);
      where.push(`created_at >= $${args.length}::timestamptz`);
    }
    if (p.q) {
      args.push(likeSubstring(p.q));
      where.push(`(lower(id) LIKE $${args.length} OR flowchart_id IN (SELECT id FROM flowcharts WHERE lower(name) LIKE $${args.length}))`);
    }
    const countWhere = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const countArgs = [...args];
    const dir = p.order === 'asc' ? 'ASC' : 'DESC';
    let offset = offsetOf(p);
    if (cursor !== undefined) {
      const [value, id] = decodeCursor(cursor);
      args.push(value, id);
      const cast = p.sort === 'status' ? 'text' : 'timestamptz';
      where.push(`(${p.sort}, id) ${dir === 'ASC' ? '>' : '<'} ($${args.length - 1}::${cast}, $${args.length})`);
      offset = 0;
    }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const rows = await this.pool.query(
      `SELECT ${RUN_SELECT}, ${p.sort}::text AS cursor_value FROM runs ${w} ORDER BY ${p.sort} ${dir}, id ${dir} LIMIT ${p.per_page + 1} OFFSET ${offset}`,
      args,
    );
    const more = rows.rows.length > p.per_page;
    const page = (rows.rows as (Run & { cursor_value: string })[]).slice(0, p.per_page);
    const last = page[page.length - 1];
    const next_cursor = more && last ? encodeCursor(last.cursor_value, last.id) : null;
    const items = page.map(({ cursor_value: _c, ...run }) => run as Run);
    const { total, estimated } = await this.countRuns(countWhere, countArgs);
    return { items, page: { page: cursor === undefined ? p.page : 0, per_page: p.per_page, total }, next_cursor, total_estimated: estimated };
  }

  /**
   * The number of runs matching `where`: counted exactly up to {@link ESTIMATE_TOTAL_ABOVE} (a bounded scan), else the
   * planner's estimate (table statistics for an unfiltered list, the plan's row estimate for a filtered one).
   */
  private async countRuns(where: string, args: unknown[]): Promise<{ total: number; estimated: boolean }> {
    const capped = await this.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM runs ${where} LIMIT ${ESTIMATE_TOTAL_ABOVE + 1}) AS c`, args);
    const n = capped.rows[0]?.n ?? 0;
    if (n <= ESTIMATE_TOTAL_ABOVE) return { total: n, estimated: false };
    let estimate: number;
    if (where === '') {
      const est = await this.pool.query<{ n: number }>("SELECT reltuples::bigint::int AS n FROM pg_class WHERE oid = 'runs'::regclass");
      estimate = est.rows[0]?.n ?? n;
    } else {
      const plan = await this.pool.query<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(`EXPLAIN (FORMAT JSON) SELECT 1 FROM runs ${where}`, args);
      estimate = Math.round(plan.rows[0]?.['QUERY PLAN'][0].Plan['Plan Rows'] ?? n);
    }
    return { total: Math.max(estimate, n), estimated: true };
  }

  async events(runId: string, afterSequence: number, limit: number): Promise<RunEventRow[]> {
    const r = await this.pool.query(
      `SELECT run_id, sequence, event_id, event_type, payload, request_id, correlation_id, created_at FROM run_events
       WHERE run_id = $1 AND sequence > $2 ORDER BY sequence LIMIT $3`,
      [runId, afterSequence, limit],
    );
    const rows = r.rows as RunEventRow[];
    await expandEvents(this.pool, runId, rows);
    return rows;
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
