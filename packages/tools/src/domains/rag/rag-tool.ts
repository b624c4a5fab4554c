/** The `rag` tool: retrieve the chunks of a collection most relevant to a query. */
import { LlmctlError } from '@llmctl/contracts';
import { defineTool, type Tool } from '../../framework/define-tool.ts';
import { contractSchema } from '../../shared/contract-schema.ts';
import type { DomainToolOptions } from '../../shared/tool-options.ts';
import type { RagSearchHit, RagStore } from './rag-store.ts';

/** Input of the `rag` tool. */
export interface RagToolInput {
  /** Collection id or name. */
  collection: string;
  query: string;
  /** Default 5, at most 50. */
  top_k?: number;
}

/** Output of the `rag` tool (contracts `rag-output`). */
export interface RagToolOutput {
  collection: string;
  query: string;
  results: RagSearchHit[];
}

/** The `rag` tool over `store`; emits a `rag` artifact holding its output. */
export function ragTool(store: RagStore, options: DomainToolOptions = {}): Tool<RagToolInput, RagToolOutput> {
  return defineTool<RagToolInput, RagToolOutput>({
    name: 'rag',
    description: 'Retrieve the passages of a document collection most relevant to a query.',
    input_schema: {
      type: 'object',
      required: ['collection', 'query'],
      additionalProperties: false,
      properties: {
        collection: { type: 'string', minLength: 1, maxLength: 200 },
        query: { type: 'string', minLength: 1, maxLength: 10_000 },
        top_k: { type: 'integer', minimum: 1, maximum: 50 },
      },
    },
    output_schema: contractSchema('rag-output'),
    side_effect: 'read',
    retry: options.retry ?? { max_attempts: 3, backoff_ms: 100 },
    timeout_ms: options.timeout_ms ?? 15_000,
    async run(input, ctx) {
      const collection = await store.findCollection(input.collection);
      if (!collection) {
        throw new LlmctlError('rag_collection_not_found', `No RAG collection "${input.collection}"`, { collection: input.collection });
      }
      const results = await store.search({ collection_id: collection.id, query: input.query, top_k: input.top_k ?? 5 });
      const output: RagToolOutput = { collection: collection.name, query: input.query, results };
      ctx.emitArtifact({ kind: 'rag', name: collection.name, content: output });
      return output;
    },
  });
}
