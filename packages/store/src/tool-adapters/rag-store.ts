import type pg from 'pg';
import { LlmctlError } from '@llmctl/contracts';
import type { RagChunkInput, RagCollection, RagDocument, RagSearchHit, RagStore } from '@llmctl/tools';
import { withTransaction } from '../pool.ts';
import { ftsCtes, ftsScore, queryWords } from './full-text.ts';

function toCollection(row: Record<string, unknown>): RagCollection {
  return { id: row.id as string, name: row.name as string, description: (row.description as string | null) ?? null, created_at: row.created_at as string };
}

/** A `rag_documents` row as a `RagDocument`. */
export function toRagDocument(row: Record<string, unknown>): RagDocument {
  return {
    id: row.id as string,
    collection_id: row.collection_id as string,
    name: row.name as string,
    media_type: row.media_type as string,
    created_at: row.created_at as string,
  };
}

/** RAG collections, documents and chunks on tables `rag_*`; retrieval by full-text search (words OR-ed, ranked). */
export class PgRagStore implements RagStore {
  constructor(private readonly pool: pg.Pool) {}

  async createCollection(input: { id: string; name: string; description?: string | null }): Promise<RagCollection> {
    const r = await this.pool.query(
      `INSERT INTO rag_collections (id, name, description) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING
       RETURNING id, name, description, created_at`,
      [input.id, input.name, input.description ?? null],
    );
    if (!r.rows[0]) throw new LlmctlError('name_taken', `A collection named "${input.name}" exists`, { name: input.name });
    return toCollection(r.rows[0]);
  }

  async findCollection(id_or_name: string): Promise<RagCollection | null> {
    const r = await this.pool.query(
      `SELECT id, name, description, created_at FROM rag_collections WHERE id = $1 OR name = $1 ORDER BY (id = $1) DESC LIMIT 1`,
      [id_or_name],
    );
    return r.rows[0] ? toCollection(r.rows[0]) : null;
  }

  async listCollections(): Promise<RagCollection[]> {
    const r = await this.pool.query(`SELECT id, name, description, created_at FROM rag_collections ORDER BY name COLLATE "C"`);
    return r.rows.map(toCollection);
  }

  async addDocument(input: { document: Omit<RagDocument, 'created_at'>; chunks: RagChunkInput[] }): Promise<RagDocument> {
    const d = input.document;
    return withTransaction(this.pool, async (client) => {
      const col = await client.query(`SELECT 1 FROM rag_collections WHERE id = $1 FOR SHARE`, [d.collection_id]);
      if (col.rowCount === 0) {
        throw new LlmctlError('rag_collection_not_found', `No RAG collection "${d.collection_id}"`, { collection: d.collection_id });
      }
      const ins = await client.query(
        `INSERT INTO rag_documents (id, collection_id, name, media_type) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING
         RETURNING id, collection_id, name, media_type, created_at`,
        [d.id, d.collection_id, d.name, d.media_type],
      );
      if (!ins.rows[0]) {
        const existing = await client.query(`SELECT id, collection_id, name, media_type, created_at FROM rag_documents WHERE id = $1`, [d.id]);
        return toRagDocument(existing.rows[0]);
      }
      if (input.chunks.length > 0) {
        await client.query(
          `INSERT INTO rag_chunks (id, collection_id, document_id, ordinal, text)
           SELECT c.id, $1, $2, c.ordinal, c.text FROM jsonb_to_recordset($3::jsonb) AS c(id text, ordinal int, text text)`,
          [d.collection_id, d.id, JSON.stringify(input.chunks.map((c) => ({ id: c.id, ordinal: c.ordinal, text: c.text })))],
        );
      }
      return toRagDocument(ins.rows[0]);
    });
  }

  async search(q: { collection_id: string; query: string; top_k: number }): Promise<RagSearchHit[]> {
    const words = queryWords(q.query);
    if (words.length === 0) return [];
    const r = await this.pool.query(
      `WITH ${ftsCtes(2)}
       SELECT c.id, c.document_id, c.text, ${ftsScore('c.tsv')} AS score
       FROM rag_chunks c, fts_query
       WHERE c.collection_id = $1 AND c.tsv @@ fts_query.tq
       ORDER BY score DESC, c.document_id COLLATE "C", c.ordinal
       LIMIT $3`,
      [q.collection_id, words, Math.max(1, Math.floor(q.top_k))],
    );
    return r.rows.map((row: Record<string, unknown>) => ({
      chunk_id: row.id as string,
      document_id: row.document_id as string,
      text: row.text as string,
      score: Math.round(Number(row.score) * 1e6) / 1e6,
    }));
  }
}
