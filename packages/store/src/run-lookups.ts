import { sql } from 'kysely';
import type { Queryable } from './pool.ts';
import { anyText, kyselyOf } from './db/kysely.ts';

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
    const row = await kyselyOf(this.pool).selectFrom('runs').select(sql<number>`1`.as('one')).where('id', '=', runId).executeTakeFirst();
    return row !== undefined;
  }

  /** The heads of those of `runIds` that exist (any order). */
  async runHeads(runIds: readonly string[]): Promise<RunHead[]> {
    if (runIds.length === 0) return [];
    return kyselyOf(this.pool).selectFrom('runs').select(['id', 'flowchart_id', 'last_sequence']).where('id', '=', anyText(runIds)).execute();
  }

  /** Those of `flowchartIds` that exist (any order). */
  async existingFlowchartIds(flowchartIds: readonly string[]): Promise<string[]> {
    if (flowchartIds.length === 0) return [];
    const rows = await kyselyOf(this.pool).selectFrom('flowcharts').select('id').where('id', '=', anyText(flowchartIds)).execute();
    return rows.map((row) => row.id);
  }

  /** The flowchart of run `runId`, or null when there is no such run. */
  async flowchartOfRun(runId: string): Promise<string | null> {
    const row = await kyselyOf(this.pool).selectFrom('runs').select('flowchart_id').where('id', '=', runId).executeTakeFirst();
    return row?.flowchart_id ?? null;
  }

  /** The highest sequence of run `runId`'s events created before `beforeIso` (0 when none). */
  async lastSequenceBefore(runId: string, beforeIso: string): Promise<number> {
    const row = await kyselyOf(this.pool).selectFrom('run_events')
      .select((eb) => eb.fn.coalesce(eb.fn.max('sequence'), sql<number>`0`).as('n'))
      .where('run_id', '=', runId).where('created_at', '<', beforeIso).executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
