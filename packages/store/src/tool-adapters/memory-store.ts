import type pg from 'pg';
import { sql, type Selectable } from 'kysely';
import type { MemoryFilter, MemoryInput, MemoryRecord, MemoryStore, ScoredMemory } from '@llmctl/tools';
import { kyselyOf } from '../db/kysely.ts';
import type { Memories } from '../db/schema.ts';
import { ftsCtes, ftsScore, queryWords } from './full-text.ts';

const COLUMNS = ['id', 'scope', 'text', 'flowchart_id', 'run_id', 'node_run_id', 'created_at'] as const;
type MemoryRow = Pick<Selectable<Memories>, (typeof COLUMNS)[number]>;

/** A `memories` row as a `MemoryRecord`. */
export function toMemory(row: Record<string, unknown>): MemoryRecord {
  return {
    id: row.id as string,
    scope: row.scope as string,
    text: row.text as string,
    flowchart_id: (row.flowchart_id as string | null) ?? null,
    run_id: (row.run_id as string | null) ?? null,
    node_run_id: (row.node_run_id as string | null) ?? null,
    created_at: row.created_at as string,
  };
}

/** Memories on table `memories`, searched with PostgreSQL full-text search (query words OR-ed, ranked). */
export class PgMemoryStore implements MemoryStore {
  constructor(private readonly pool: pg.Pool) {}

  async add(m: MemoryInput): Promise<MemoryRecord> {
    const db = kyselyOf(this.pool);
    const row = await db.insertInto('memories').values({
      id: m.id, scope: m.scope, text: m.text, flowchart_id: m.flowchart_id, run_id: m.run_id, node_run_id: m.node_run_id,
      created_at: sql<string>`clock_timestamp()`,
    }).onConflict((oc) => oc.column('id').doNothing()).returning(COLUMNS).executeTakeFirst();
    if (row) return toMemory(row);
    return toMemory(await db.selectFrom('memories').select(COLUMNS).where('id', '=', m.id).executeTakeFirstOrThrow());
  }

  async search(q: { scope: string; query: string; limit: number }): Promise<ScoredMemory[]> {
    const words = queryWords(q.query);
    if (words.length === 0) return [];
    // Full-text CTEs and a computed score: a typed sql template (row type from the generated types).
    const r = await sql<MemoryRow & { score: number }>`WITH ${ftsCtes(words)}
       SELECT ${sql.join(COLUMNS.map((c) => sql.ref(`m.${c}`)))}, ${ftsScore('m.tsv')} AS score
       FROM memories m, fts_query
       WHERE m.scope = ${q.scope} AND m.tsv @@ fts_query.tq
       ORDER BY score DESC, m.seq DESC
       LIMIT ${Math.max(1, Math.floor(q.limit))}`.execute(kyselyOf(this.pool));
    return r.rows.map((row) => ({ ...toMemory(row), score: Math.round(Number(row.score) * 1e6) / 1e6 }));
  }

  async list(filter: MemoryFilter): Promise<MemoryRecord[]> {
    const rows = await kyselyOf(this.pool).selectFrom('memories').select(COLUMNS)
      .$if(filter.scope != null, (qb) => qb.where('scope', '=', filter.scope!))
      .$if(filter.flowchart_id != null, (qb) => qb.where('flowchart_id', '=', filter.flowchart_id!))
      .$if(filter.run_id != null, (qb) => qb.where('run_id', '=', filter.run_id!))
      .orderBy('seq', 'desc').limit(filter.limit ?? 100).execute();
    return rows.map(toMemory);
  }
}
