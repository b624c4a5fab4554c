/** RAG ingestion helpers: create a collection, chunk a document and store it. */
import { LlmctlError } from '@llmctl/contracts';
import { randomUUID } from 'node:crypto';
import { chunkDocument, type ChunkOptions } from './chunking.ts';
import type { RagCollection, RagDocument, RagStore } from './rag-store.ts';

/** A document to ingest. */
export interface IngestDocumentInput {
  /** Collection id or name. */
  collection: string;
  name: string;
  /** `text/markdown` is chunked as Markdown, anything else as plain text. */
  media_type: string;
  text: string;
  /** Give one to make ingestion idempotent (a repeat stores nothing). Default: a random UUID. */
  document_id?: string;
  chunking?: ChunkOptions;
}

/** What ingestion stored. */
export interface IngestDocumentResult {
  document: RagDocument;
  chunk_count: number;
}

/** Creates a collection with a random id. */
export function createRagCollection(store: RagStore, name: string, description: string | null = null): Promise<RagCollection> {
  return store.createCollection({ id: randomUUID(), name, description });
}

/** Chunks `input.text` and stores it as one document of the collection (`rag_collection_not_found` if unknown). */
export async function ingestDocument(store: RagStore, input: IngestDocumentInput): Promise<IngestDocumentResult> {
  const collection = await store.findCollection(input.collection);
  if (!collection) {
    throw new LlmctlError('rag_collection_not_found', `No RAG collection "${input.collection}"`, { collection: input.collection });
  }
  const id = input.document_id ?? randomUUID();
  const chunks = chunkDocument(input.text, input.media_type, input.chunking).map((text, ordinal) => ({ id: `${id}:${ordinal}`, ordinal, text }));
  const document = await store.addDocument({
    document: { id, collection_id: collection.id, name: input.name, media_type: input.media_type },
    chunks,
  });
  return { document, chunk_count: chunks.length };
}
