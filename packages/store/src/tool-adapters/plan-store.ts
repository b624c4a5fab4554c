import type pg from 'pg';
import type { PlanDraft, PlanRecord, PlanStore } from '@llmctl/tools';
import { updateKeyed, type KeyedTable } from './keyed-state.ts';

const COLUMNS = 'run_id, plan_key, flowchart_id, items, status, updated_at';
const TABLE: KeyedTable = { table: 'plans', keyColumn: 'plan_key', columns: COLUMNS, placeholder: { items: '[]', status: 'open' } };

/** A `plans` row as a `PlanRecord`. */
export function toPlan(row: Record<string, unknown>): PlanRecord {
  return {
    run_id: row.run_id as string,
    plan_key: row.plan_key as string,
    flowchart_id: (row.flowchart_id as string | null) ?? null,
    items: (row.items as PlanRecord['items']) ?? [],
    status: row.status as PlanRecord['status'],
    updated_at: row.updated_at as string,
  };
}

/** Plans on table `plans` (keyed by run_id + plan_key); updates are row-locked read-modify-writes. */
export class PgPlanStore implements PlanStore {
  constructor(private readonly pool: pg.Pool) {}

  async get(run_id: string, plan_key: string): Promise<PlanRecord | null> {
    const r = await this.pool.query(`SELECT ${COLUMNS} FROM plans WHERE run_id = $1 AND plan_key = $2`, [run_id, plan_key]);
    return r.rows[0] ? toPlan(r.rows[0]) : null;
  }

  async update(run_id: string, plan_key: string, mutate: (current: PlanRecord | null) => PlanDraft): Promise<PlanRecord> {
    const row = await updateKeyed(this.pool, TABLE, run_id, plan_key, toPlan, (current) => {
      const d = mutate(current);
      return { flowchart_id: d.flowchart_id, items: JSON.stringify(d.items), status: d.status };
    });
    return toPlan(row);
  }

  async list(filter: { run_id?: string; flowchart_id?: string }): Promise<PlanRecord[]> {
    const r = await this.pool.query(
      `SELECT ${COLUMNS} FROM plans WHERE ($1::text IS NULL OR run_id = $1) AND ($2::text IS NULL OR flowchart_id = $2) ORDER BY seq DESC`,
      [filter.run_id ?? null, filter.flowchart_id ?? null],
    );
    return r.rows.map(toPlan);
  }
}
