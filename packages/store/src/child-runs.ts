/**
 * The `child_run` of `flowchart` node runs in the REST view (api.md node run, additive field): derived on read from the
 * parent's log, folded by the engine's own step (`childRunsOf`), so `GET /api/runs/:id` shows the object the run
 * log's projection (studio, CLI) shows. Nothing is stored for it: the commit path writes no extra statement, and only
 * a run that has a flowchart node run costs one more read (that run's subflow events, by its primary-key range).
 */
import type pg from 'pg';
import { upcastRunEvent, type NodeRun } from '@llmctl/contracts';
import { childRunsOf, SUBFLOW_EVENT_KINDS, type SubflowEvent } from '@llmctl/runtime';

/** The subflow events of run `$1`, in log order. */
const SUBFLOW_EVENTS_SQL = `SELECT payload FROM run_events WHERE run_id = $1 AND payload->>'kind' = ANY($2::text[]) ORDER BY sequence`;

/** True when a read of the run's subflow events is needed (some node run is a `flowchart` node's). */
export function hasFlowchartNodeRuns(nodeRuns: readonly NodeRun[]): boolean {
  return nodeRuns.some((n) => n.node_type === 'flowchart');
}

/** Sets `child_run` on the node runs whose child the run's log records (one query, only when {@link hasFlowchartNodeRuns}). */
export async function attachChildRuns(pool: pg.Pool, runId: string, nodeRuns: NodeRun[]): Promise<void> {
  if (!hasFlowchartNodeRuns(nodeRuns)) return;
  const r = await pool.query<{ payload: unknown }>(SUBFLOW_EVENTS_SQL, [runId, SUBFLOW_EVENT_KINDS]);
  const children = childRunsOf(r.rows.map((row) => upcastRunEvent<SubflowEvent>(row.payload)));
  for (const n of nodeRuns) {
    const child = children.get(n.id);
    if (child) n.child_run = child;
  }
}
