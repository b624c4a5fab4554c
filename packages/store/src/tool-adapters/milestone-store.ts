import type pg from 'pg';
import type { MilestoneDraft, MilestoneRecord, MilestoneStore } from '@llmctl/tools';
import { kyselyOf } from '../db/kysely.ts';
import { updateKeyed, type KeyedTable } from './keyed-state.ts';

const COLUMNS = ['run_id', 'milestone_key', 'flowchart_id', 'title', 'status', 'updated_at'] as const;
const TABLE: KeyedTable = { table: 'milestones', keyColumn: 'milestone_key', columns: COLUMNS, placeholder: { title: '', status: 'open' } };

/** A `milestones` row as a `MilestoneRecord`. */
export function toMilestone(row: Record<string, unknown>): MilestoneRecord {
  return {
    run_id: row.run_id as string,
    milestone_key: row.milestone_key as string,
    flowchart_id: (row.flowchart_id as string | null) ?? null,
    title: row.title as string,
    status: row.status as MilestoneRecord['status'],
    updated_at: row.updated_at as string,
  };
}

/** Milestones on table `milestones` (keyed by run_id + milestone_key); updates are row-locked read-modify-writes. */
export class PgMilestoneStore implements MilestoneStore {
  constructor(private readonly pool: pg.Pool) {}

  async get(run_id: string, milestone_key: string): Promise<MilestoneRecord | null> {
    const row = await kyselyOf(this.pool).selectFrom('milestones').select(COLUMNS).where('run_id', '=', run_id).where('milestone_key', '=', milestone_key).executeTakeFirst();
    return row ? toMilestone(row) : null;
  }

  async update(run_id: string, milestone_key: string, mutate: (current: MilestoneRecord | null) => MilestoneDraft): Promise<MilestoneRecord> {
    const row = await updateKeyed(this.pool, TABLE, run_id, milestone_key, toMilestone, (current) => {
      const d = mutate(current);
      return { flowchart_id: d.flowchart_id, title: d.title, status: d.status };
    });
    return toMilestone(row);
  }

  async list(filter: { run_id?: string; flowchart_id?: string }): Promise<MilestoneRecord[]> {
    const rows = await kyselyOf(this.pool).selectFrom('milestones').select(COLUMNS)
      .$if(filter.run_id != null, (qb) => qb.where('run_id', '=', filter.run_id!))
      .$if(filter.flowchart_id != null, (qb) => qb.where('flowchart_id', '=', filter.flowchart_id!))
      .orderBy('seq', 'desc').execute();
    return rows.map(toMilestone);
  }
}
