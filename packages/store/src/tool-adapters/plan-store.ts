import type pg from 'pg';
import type { PlanDraft, PlanRecord, PlanStore } from '@llmctl/tools';
import { kyselyOf } from '../db/kysely.ts';
import { updateKeyed, type KeyedTable } from './keyed-state.ts';

const COLUMNS = ['run_id', 'plan_key', 'flowchart_id', 'items', 'status', 'updated_at'] as const;
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
    const row = await kyselyOf(this.pool).selectFrom('plans').select(COLUMNS).where('run_id', '=', run_id).where('plan_key', '=', plan_key).executeTakeFirst();
    return row ? toPlan(row) : null;
  }

  async update(run_id: string, plan_key: string, mutate: (current: PlanRecord | null) => PlanDraft): Promise<PlanRecord> {
    const row = await updateKeyed(this.pool, TABLE, run_id, plan_key, toPlan, (current) => {
      const d = mutate(current);
      return { flowchart_id: d.flowchart_id, items: JSON.stringify(d.items), status: d.status };
    });
    return toPlan(row);
  }

  async list(filter: { run_id?: string; flowchart_id?: string }): Promise<PlanRecord[]> {
    const rows = await kyselyOf(this.pool).selectFrom('plans').select(COLUMNS)
      .$if(filter.run_id != null, (qb) => qb.where('run_id', '=', filter.run_id!))
      .$if(filter.flowchart_id != null, (qb) => qb.where('flowchart_id', '=', filter.flowchart_id!))
      .orderBy('seq', 'desc').execute();
    return rows.map(toPlan);
  }
}
