/** The RAG store port (collections, documents, chunks, retrieval) and its in-memory adapter. */
import { LlmctlError } from '@llmctl/contracts';
import { overlapScore } from '../../shared/term-overlap.ts';

/** A collection (table `rag_collections`); names are unique. */
export interface RagCollection {
  id: string;
  name: string;
  description: string | null;
  /** ISO 8601. */
  created_at: string;
}

/** A document (table `rag_documents`). */
export interface RagDocument {
  id: string;
  collection_id: string;
  name: string;
  media_type: string;
  /** ISO 8601. */
  created_at: string;
}

/** A chunk to store (table `rag_chunks`); `ordinal` is its 0-based position in the document. */
export interface RagChunkInput {
  id: string;
  ordinal: number;
  text: string;
}

/** A retrieved chunk (the rag tool's result item). */
export interface RagSearchHit {
  chunk_id: string;
  document_id: string;
  text: string;
  score: number;
}

/** RAG collections and their chunked documents. */
export interface RagStore {
  /** Creates a collection; a taken name rejects with `name_taken`. */
  createCollection(input: { id: string; name: string; description?: string | null }): Promise<RagCollection>;
  /** The collection whose id — or else name — is `id_or_name`, or null. */
  findCollection(id_or_name: string): Promise<RagCollection | null>;
  /** Every collection, by name. */
  listCollections(): Promise<RagCollection[]>;
  /**
   * Stores a document and its chunks atomically. An unknown collection rejects with `rag_collection_not_found`; a
   * document id that exists already stores nothing and returns the stored document (idempotent ingestion).
   */
  addDocument(input: { document: Omit<RagDocument, 'created_at'>; chunks: RagChunkInput[] }): Promise<RagDocument>;
  /**
   * The `top_k` chunks of the collection most relevant to `query`, best first; chunks sharing no term with the
   * query are left out; more shared distinct terms rank higher; ties by document then ordinal.
   * (PostgreSQL: full-text search over `tsv` with the query terms OR-ed, ranked by `ts_rank`.)
   */
  search(query: { collection_id: string; query: string; top_k: number }): Promise<RagSearchHit[]>;
}

interface StoredChunk extends RagChunkInput {
  collection_id: string;
  document_id: string;
}

/** In-memory `RagStore`, ranking by term overlap. */
export class InMemoryRagStore implements RagStore {
  readonly #collections = new Map<string, RagCollection>();
  readonly #documents = new Map<string, RagDocument>();
  readonly #chunks: StoredChunk[] = [];

  async createCollection(input: { id: string; name: string; description?: string | null }): Promise<RagCollection> {
    for (const c of this.#collections.values()) {
      if (c.name === input.name) throw new LlmctlError('name_taken', `A collection named "${input.name}" exists`, { name: input.name });
    }
    const c: RagCollection = { id: input.id, name: input.name, description: input.description ?? null, created_at: new Date().toISOString() };
    this.#collections.set(c.id, c);
    return { ...c };
  }

  async findCollection(id_or_name: string): Promise<RagCollection | null> {
    const byId = this.#collections.get(id_or_name);
    if (byId) return { ...byId };
    const byName = [...this.#collections.values()].find((c) => c.name === id_or_name);
    return byName ? { ...byName } : null;
  }

  async listCollections(): Promise<RagCollection[]> {
    return [...this.#collections.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((c) => ({ ...c }));
  }

  async addDocument(input: { document: Omit<RagDocument, 'created_at'>; chunks: RagChunkInput[] }): Promise<RagDocument> {
    const { document } = input;
    if (!this.#collections.has(document.collection_id)) {
      throw new LlmctlError('rag_collection_not_found', `No RAG collection "${document.collection_id}"`, { collection: document.collection_id });
    }
    const existing = this.#documents.get(document.id);
    if (existing) return { ...existing };
    const stored: RagDocument = { ...document, created_at: new Date().toISOString() };
    this.#documents.set(stored.id, stored);
    for (const c of input.chunks) this.#chunks.push({ ...c, collection_id: document.collection_id, document_id: document.id });
    return { ...stored };
  }

  async search(query: { collection_id: string; query: string; top_k: number }): Promise<RagSearchHit[]> {
    return this.#chunks
      .filter((c) => c.collection_id === query.collection_id)
      .map((c) => ({ c, score: overlapScore(query.query, c.text) }))
      .filter((x) => x.score > 0)
      .sort((a, b) => b.score - a.score || (a.c.document_id < b.c.document_id ? -1 : a.c.document_id > b.c.document_id ? 1 : 0) || a.c.ordinal - b.c.ordinal)
      .slice(0, query.top_k)
      .map(({ c, score }) => ({ chunk_id: c.id, document_id: c.document_id, text: c.text, score }));
  }
}
