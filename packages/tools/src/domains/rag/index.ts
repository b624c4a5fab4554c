/** The RAG domain: the `rag` tool, its store port, chunking and ingestion. */
export * from './rag-store.ts';
export * from './chunking.ts';
export * from './ingestion.ts';
export * from './rag-tool.ts';
