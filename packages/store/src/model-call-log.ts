import type pg from 'pg';
import type { ModelCallLog, ModelCallRecord } from '@llmctl/runtime';

const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

/**
 * The runtime's model-call log on PostgreSQL (`model_calls`): one row per model call with its journal (request,
 * response, parsed output, usage, latency, cost), written in the one insert that records the call.
 */
export class PgModelCallLog implements ModelCallLog {
  /** Told of records stored with a node's commit instead of through `record` (the server sets it for metrics). */
  observe?: (call: ModelCallRecord) => void;

  constructor(private readonly pool: pg.Pool) {}

  async record(c: ModelCallRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO model_calls (id, run_id, node_run_id, node_id, model_name, provider, attempt, kind, response_index, status, error, usage, started_at, finished_at,
         idempotency_key, step, repair_attempt, request, response, parsed_output, latency_ms, cost, replayed_from)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23)`,
      [c.id, c.run_id, c.node_run_id, c.node_id, c.model_name, c.provider, c.attempt, c.kind, c.response_index, c.status,
        json(c.error), json(c.usage), c.started_at, c.finished_at,
        c.idempotency_key ?? null, c.step ?? null, c.repair_attempt ?? null, json(c.request), json(c.response), json(c.parsed_output),
        c.latency_ms ?? null, c.cost ?? null, c.replayed_from ?? null],
    );
  }

  async countScripted(modelName: string, runId: string, nodeId: string, responseIndex: number): Promise<number> {
    const r = await this.pool.query(
      `SELECT count(*)::int AS n FROM model_calls WHERE model_name = $1 AND run_id = $2 AND node_id = $3 AND response_index = $4`,
      [modelName, runId, nodeId, responseIndex],
    );
    return (r.rows[0] as { n: number }).n;
  }

  async journal(runId: string, nodeId: string, nodeRunKey: string): Promise<ModelCallRecord[]> {
    const r = await this.pool.query(
      `SELECT * FROM model_calls WHERE run_id = $1 AND node_id = $2 AND status = 'succeeded' AND starts_with(idempotency_key, $3)
       ORDER BY started_at, id`,
      [runId, nodeId, `${nodeRunKey}:model:`],
    );
    return r.rows as ModelCallRecord[];
  }

  /** Model calls of a run (traces). */
  async forRun(runId: string): Promise<ModelCallRecord[]> {
    const r = await this.pool.query(`SELECT * FROM model_calls WHERE run_id = $1 ORDER BY started_at`, [runId]);
    return r.rows as ModelCallRecord[];
  }
}
