import { nonEmptyString, schemaHeader } from './common.ts';

/** Output of a `rag` node: the rendered query and the best-scoring chunks. */
export const ragOutputSchema = {
  ...schemaHeader('rag-output', 'RAG node output', 'Retrieval results from a collection.'),
  type: 'object',
  required: ['collection', 'query', 'results'],
  additionalProperties: false,
  properties: {
    collection: nonEmptyString,
    query: { type: 'string' },
    results: {
      type: 'array',
      items: {
        type: 'object',
        required: ['chunk_id', 'document_id', 'text', 'score'],
        properties: {
          chunk_id: nonEmptyString,
          document_id: nonEmptyString,
          text: { type: 'string' },
          score: { type: 'number' },
        },
      },
    },
  },
} as const;
