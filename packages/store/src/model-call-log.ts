import type pg from 'pg';
import type { ModelCallLog, ModelCallRecord } from '@llmctl/runtime';

/** The runtime's model-call log on PostgreSQL (`model_calls`). */
export class PgModelCallLog implements ModelCallLog {
  constructor(private readonly pool: pg.Pool) {}

  async record(c: ModelCallRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO model_calls (id, run_id, node_run_id, node_id, model_name, provider, attempt, kind, response_index, status, error, usage, started_at, finished_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)`,
      [c.id, c.run_id, c.node_run_id, c.node_id, c.model_name, c.provider, c.attempt, c.kind, c.response_index, c.status,
        c.error ? JSON.stringify(c.error) : null, c.usage ? JSON.stringify(c.usage) : null, c.started_at, c.finished_at],
    );
  }

  async countScripted(modelName: string, runId: string, nodeId: string, responseIndex: number): Promise<number> {
    const r = await this.pool.query(
      `SELECT count(*)::int AS n FROM model_calls WHERE model_name = $1 AND run_id = $2 AND node_id = $3 AND response_index = $4`,
      [modelName, runId, nodeId, responseIndex],
    );
    return (r.rows[0] as { n: number }).n;
  }

  /** Model calls of a run (traces). */
  async forRun(runId: string): Promise<ModelCallRecord[]> {
    const r = await this.pool.query(`SELECT * FROM model_calls WHERE run_id = $1 ORDER BY started_at`, [runId]);
    return r.rows as ModelCallRecord[];
  }
}
