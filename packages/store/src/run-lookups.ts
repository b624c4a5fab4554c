import type { Queryable } from './pool.ts';

/** A run's identity and log head. */
export interface RunHead {
  id: string;
  flowchart_id: string;
  /** As PostgreSQL returns the bigint (string) or a number. */
  last_sequence: string | number;
}

/** Small reads by id that the API and the realtime hub need before they do anything else with a run or flowchart. */
export class RunLookups {
  constructor(private readonly pool: Queryable) {}

  /** True when run `runId` exists. */
  async runExists(runId: string): Promise<boolean> {
    const r = await this.pool.query('SELECT 1 FROM runs WHERE id = $1', [runId]);
    return (r.rowCount ?? 0) > 0;
  }

  /** The heads of those of `runIds` that exist (any order). */
  async runHeads(runIds: readonly string[]): Promise<RunHead[]> {
    if (runIds.length === 0) return [];
    const r = await this.pool.query<RunHead>('SELECT id, flowchart_id, last_sequence FROM runs WHERE id = ANY($1::text[])', [runIds]);
    return r.rows;
  }

  /** Those of `flowchartIds` that exist (any order). */
  async existingFlowchartIds(flowchartIds: readonly string[]): Promise<string[]> {
    if (flowchartIds.length === 0) return [];
    const r = await this.pool.query<{ id: string }>('SELECT id FROM flowcharts WHERE id = ANY($1::text[])', [flowchartIds]);
    return r.rows.map((row) => row.id);
  }

  /** The flowchart of run `runId`, or null when there is no such run. */
  async flowchartOfRun(runId: string): Promise<string | null> {
    const r = await this.pool.query<{ flowchart_id: string }>('SELECT flowchart_id FROM runs WHERE id = $1', [runId]);
    return r.rows[0]?.flowchart_id ?? null;
  }

  /** The highest sequence of run `runId`'s events created before `beforeIso` (0 when none). */
  async lastSequenceBefore(runId: string, beforeIso: string): Promise<number> {
    const r = await this.pool.query<{ n: string | number }>(
      'SELECT coalesce(max(sequence), 0) AS n FROM run_events WHERE run_id = $1 AND created_at < $2', [runId, beforeIso]);
    return Number(r.rows[0]?.n ?? 0);
  }
}
