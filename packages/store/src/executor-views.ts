import type pg from 'pg';
import type { ExecutorInfo, NodeRun } from '@llmctl/contracts';

interface DispatchView {
  node_run_id: string;
  backend: ExecutorInfo['backend'];
  class: ExecutorInfo['class'];
  worker_id: string | null;
  job_id: string | null;
  image: string | null;
  state: ExecutorInfo['dispatch_state'];
  degraded_reason: string | null;
}

/** The dispatch rows of a run (`$1` = run id, or a literal in a multi-statement read). */
export function dispatchRowsSql(runIdExpr: string): string {
  return `SELECT node_run_id, backend, class, worker_id, job_id, image, state, degraded_reason FROM executor_dispatches WHERE run_id = ${runIdExpr} ORDER BY sequence`;
}

/** The nodes of a run's flowchart version whose model is a local vLLM one (their inline attempts are class `vllm`). */
export function vllmNodesSql(runIdExpr: string): string {
  return `SELECT n->>'id' AS node_id FROM runs r JOIN flowchart_versions fv ON fv.flowchart_id = r.flowchart_id AND fv.version = r.flowchart_version
       CROSS JOIN LATERAL jsonb_array_elements(fv.document->'nodes') AS n JOIN models m ON m.name = n->'config'->>'model'
       WHERE r.id = ${runIdExpr} AND (m.provider = 'vllm_local' OR (m.provider = 'vllm' AND COALESCE(m.base_url, '') = ''))`;
}

/** The names of local vLLM models (usually none; only then are a run's vLLM nodes looked up, {@link vllmNodesSql}). */
export const VLLM_MODEL_NAMES_SQL = `SELECT name FROM models WHERE provider = 'vllm_local' OR (provider = 'vllm' AND COALESCE(base_url, '') = '')`;

/**
 * Adds `executor` to node runs and their attempts (executors.md "Dispatch contract"): attempts that were dispatched
 * carry their `executor_dispatches` row (aligned from the last attempt back); the others ran inline in the owner.
 */
export async function attachExecutors(pool: pg.Pool, runId: string, nodeRuns: NodeRun[]): Promise<void> {
  if (nodeRuns.length === 0) return;
  const [d, v] = await Promise.all([pool.query(dispatchRowsSql('$1'), [runId]), pool.query(vllmNodesSql('$1'), [runId])]);
  applyExecutors(nodeRuns, d.rows as DispatchView[], v.rows as { node_id: string }[]);
}

/** {@link attachExecutors} on rows already read ({@link dispatchRowsSql}, {@link vllmNodesSql}). */
export function applyExecutors(nodeRuns: NodeRun[], dispatchRows: unknown[], vllmRows: { node_id: string }[]): void {
  const byNodeRun = new Map<string, DispatchView[]>();
  for (const row of dispatchRows as DispatchView[]) {
    const list = byNodeRun.get(row.node_run_id) ?? [];
    list.push(row);
    byNodeRun.set(row.node_run_id, list);
  }
  const vllm = new Set(vllmRows.map((r) => r.node_id));
  for (const nr of nodeRuns) {
    const rows = byNodeRun.get(nr.id) ?? [];
    const attempts = nr.attempts ?? [];
    const offset = attempts.length - rows.length;
    attempts.forEach((a, i) => {
      const row = rows[i - offset];
      a.executor = row
        ? { backend: row.backend, class: row.class, worker_id: row.worker_id, job_id: row.job_id, image: row.image, dispatch_state: row.state, degraded_reason: row.degraded_reason }
        : {
            backend: 'inline', class: vllm.has(nr.node_id) ? 'vllm' : 'frontier', worker_id: null, job_id: null, image: null,
            dispatch_state: a.finished_at === null ? 'confirmed' : a.error ? 'failed' : 'finished', degraded_reason: null,
          };
    });
    const last = attempts[attempts.length - 1];
    if (last?.executor) nr.executor = last.executor;
  }
}
