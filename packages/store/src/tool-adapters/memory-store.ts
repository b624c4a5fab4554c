import type pg from 'pg';
import type { MemoryFilter, MemoryInput, MemoryRecord, MemoryStore, ScoredMemory } from '@llmctl/tools';
import { ftsCtes, ftsScore, queryWords } from './full-text.ts';

const COLUMNS = 'id, scope, text, flowchart_id, run_id, node_run_id, created_at';

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
    const r = await this.pool.query(
      `INSERT INTO memories (id, scope, text, flowchart_id, run_id, node_run_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, clock_timestamp()) ON CONFLICT (id) DO NOTHING RETURNING ${COLUMNS}`,
      [m.id, m.scope, m.text, m.flowchart_id, m.run_id, m.node_run_id],
    );
    if (r.rows[0]) return toMemory(r.rows[0]);
    const existing = await this.pool.query(`SELECT ${COLUMNS} FROM memories WHERE id = $1`, [m.id]);
    return toMemory(existing.rows[0]);
  }

  async search(q: { scope: string; query: string; limit: number }): Promise<ScoredMemory[]> {
    const words = queryWords(q.query);
    if (words.length === 0) return [];
    const r = await this.pool.query(
      `WITH ${ftsCtes(2)}
       SELECT ${COLUMNS.split(', ').map((c) => `m.${c}`).join(', ')}, ${ftsScore('m.tsv')} AS score
       FROM memories m, fts_query
       WHERE m.scope = $1 AND m.tsv @@ fts_query.tq
       ORDER BY score DESC, m.seq DESC
       LIMIT $3`,
      [q.scope, words, Math.max(1, Math.floor(q.limit))],
    );
    return r.rows.map((row: Record<string, unknown>) => ({ ...toMemory(row), score: Math.round(Number(row.score) * 1e6) / 1e6 }));
  }

  async list(filter: MemoryFilter): Promise<MemoryRecord[]> {
    const r = await this.pool.query(
      `SELECT ${COLUMNS} FROM memories
       WHERE ($1::text IS NULL OR scope = $1) AND ($2::text IS NULL OR flowchart_id = $2) AND ($3::text IS NULL OR run_id = $3)
       ORDER BY seq DESC LIMIT $4`,
      [filter.scope ?? null, filter.flowchart_id ?? null, filter.run_id ?? null, filter.limit ?? 100],
    );
    return r.rows.map(toMemory);
  }
}
