import type pg from 'pg';
import { sql, type Selectable } from 'kysely';
import { LlmctlError } from '@llmctl/contracts';
import type { RagChunkInput, RagCollection, RagDocument, RagSearchHit, RagStore } from '@llmctl/tools';
import { kyselyOf } from '../db/kysely.ts';
import type { RagChunks } from '../db/schema.ts';
import { ftsCtes, ftsScore, queryWords } from './full-text.ts';

const COLLECTION = ['id', 'name', 'description', 'created_at'] as const;
const DOCUMENT = ['id', 'collection_id', 'name', 'media_type', 'created_at'] as const;

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
    const row = await kyselyOf(this.pool).insertInto('rag_collections').values({ id: input.id, name: input.name, description: input.description ?? null })
      .onConflict((oc) => oc.column('name').doNothing()).returning(COLLECTION).executeTakeFirst();
    if (!row) throw new LlmctlError('name_taken', `A collection named "${input.name}" exists`, { name: input.name });
    return toCollection(row);
  }

  async findCollection(id_or_name: string): Promise<RagCollection | null> {
    const row = await kyselyOf(this.pool).selectFrom('rag_collections').select(COLLECTION)
      .where((eb) => eb.or([eb('id', '=', id_or_name), eb('name', '=', id_or_name)]))
      .orderBy((eb) => eb('id', '=', id_or_name), 'desc').limit(1).executeTakeFirst();
    return row ? toCollection(row) : null;
  }

  async listCollections(): Promise<RagCollection[]> {
    const rows = await kyselyOf(this.pool).selectFrom('rag_collections').select(COLLECTION).orderBy(sql`name COLLATE "C"`).execute();
    return rows.map(toCollection);
  }

  async addDocument(input: { document: Omit<RagDocument, 'created_at'>; chunks: RagChunkInput[] }): Promise<RagDocument> {
    const d = input.document;
    return kyselyOf(this.pool).transaction().execute(async (trx) => {
      const col = await trx.selectFrom('rag_collections').select('id').where('id', '=', d.collection_id).forShare().executeTakeFirst();
      if (!col) {
        throw new LlmctlError('rag_collection_not_found', `No RAG collection "${d.collection_id}"`, { collection: d.collection_id });
      }
      const ins = await trx.insertInto('rag_documents').values({ id: d.id, collection_id: d.collection_id, name: d.name, media_type: d.media_type })
        .onConflict((oc) => oc.column('id').doNothing()).returning(DOCUMENT).executeTakeFirst();
      if (!ins) {
        return toRagDocument(await trx.selectFrom('rag_documents').select(DOCUMENT).where('id', '=', d.id).executeTakeFirstOrThrow());
      }
      if (input.chunks.length > 0) {
        // Every chunk in one statement: the chunks travel as one jsonb parameter, unpacked by jsonb_to_recordset.
        const chunks = JSON.stringify(input.chunks.map((c) => ({ id: c.id, ordinal: c.ordinal, text: c.text })));
        await trx.insertInto('rag_chunks').columns(['id', 'collection_id', 'document_id', 'ordinal', 'text'])
          .expression(sql`SELECT c.id, ${d.collection_id}, ${d.id}, c.ordinal, c.text FROM jsonb_to_recordset(${chunks}::jsonb) AS c(id text, ordinal int, text text)`)
          .execute();
      }
      return toRagDocument(ins);
    });
  }

  async search(q: { collection_id: string; query: string; top_k: number }): Promise<RagSearchHit[]> {
    const words = queryWords(q.query);
    if (words.length === 0) return [];
    // Full-text CTEs and a computed score: a typed sql template (row type from the generated types).
    const r = await sql<Pick<Selectable<RagChunks>, 'id' | 'document_id' | 'text'> & { score: number }>`WITH ${ftsCtes(words)}
       SELECT c.id, c.document_id, c.text, ${ftsScore('c.tsv')} AS score
       FROM rag_chunks c, fts_query
       WHERE c.collection_id = ${q.collection_id} AND c.tsv @@ fts_query.tq
       ORDER BY score DESC, c.document_id COLLATE "C", c.ordinal
       LIMIT ${Math.max(1, Math.floor(q.top_k))}`.execute(kyselyOf(this.pool));
    return r.rows.map((row) => ({
      chunk_id: row.id,
      document_id: row.document_id,
      text: row.text,
      score: Math.round(Number(row.score) * 1e6) / 1e6,
    }));
  }
}
