/** The `memory` tool: add a memory, or retrieve the most relevant ones, in the flowchart's scope or globally. */
import { LlmctlError } from '@llmctl/contracts';
import { defineTool, type Tool } from '../../framework/define-tool.ts';
import type { DomainToolOptions } from '../../shared/tool-options.ts';
import { contractSchema } from '../../shared/contract-schema.ts';
import { idFromKey } from '../../shared/ids.ts';
import type { MemoryStore } from './memory-store.ts';

/** Where a memory lives: shared by every run of the flowchart, or by every flowchart. */
export type MemoryScope = 'flowchart' | 'global';

/** Input of the `memory` tool. */
export interface MemoryToolInput {
  op: 'add' | 'retrieve';
  text?: string;
  query?: string;
  /** Default `flowchart`. */
  scope?: MemoryScope;
  /** Retrieve: most memories returned (default 5, at most 50). */
  limit?: number;
}

/** A memory in the tool output (`score` on retrieve). */
export interface MemoryItem { id: string; text: string; scope: MemoryScope; score?: number }

/** Output of the `memory` tool (contracts `memory-output`). */
export type MemoryToolOutput =
  | { op: 'add'; memory: MemoryItem }
  | { op: 'retrieve'; memories: MemoryItem[]; count: number };

/** The store scope string of a tool scope: `global` or `flowchart:<id>`. */
export function memoryStoreScope(scope: MemoryScope, flowchart_id: string | null): string {
  if (scope === 'global') return 'global';
  if (!flowchart_id) {
    throw new LlmctlError('tool_input_invalid', 'Memory scope "flowchart" needs a flowchart id in the tool context', { scope });
  }
  return `flowchart:${flowchart_id}`;
}

function toolScope(storeScope: string): MemoryScope {
  return storeScope === 'global' ? 'global' : 'flowchart';
}

/** The `memory` tool over `store`; emits a `memory` artifact holding its output. */
export function memoryTool(store: MemoryStore, options: DomainToolOptions = {}): Tool<MemoryToolInput, MemoryToolOutput> {
  return defineTool<MemoryToolInput, MemoryToolOutput>({
    name: 'memory',
    description: 'Add a memory, or retrieve the memories most relevant to a query (scope: flowchart or global).',
    input_schema: {
      type: 'object',
      required: ['op'],
      additionalProperties: false,
      properties: {
        op: { enum: ['add', 'retrieve'] },
        text: { type: 'string', minLength: 1, maxLength: 100_000 },
        query: { type: 'string', minLength: 1, maxLength: 10_000 },
        scope: { enum: ['flowchart', 'global'] },
        limit: { type: 'integer', minimum: 1, maximum: 50 },
      },
      allOf: [
        { if: { properties: { op: { const: 'add' } } }, then: { required: ['text'] } },
        { if: { properties: { op: { const: 'retrieve' } } }, then: { required: ['query'] } },
      ],
    },
    output_schema: contractSchema('memory-output'),
    side_effect: 'write',
    retry: options.retry ?? { max_attempts: 3, backoff_ms: 100 },
    timeout_ms: options.timeout_ms ?? 15_000,
    async run(input, ctx) {
      const scope = memoryStoreScope(input.scope ?? 'flowchart', ctx.flowchart_id);
      let output: MemoryToolOutput;
      if (input.op === 'add') {
        const record = await store.add({
          id: idFromKey('mem', ctx.idempotency_key),
          scope,
          text: input.text ?? '',
          flowchart_id: ctx.flowchart_id,
          run_id: ctx.run_id,
          node_run_id: ctx.node_run_id,
        });
        output = { op: 'add', memory: { id: record.id, text: record.text, scope: toolScope(record.scope) } };
      } else {
        const found = await store.search({ scope, query: input.query ?? '', limit: input.limit ?? 5 });
        const memories = found.map((m) => ({ id: m.id, text: m.text, scope: toolScope(m.scope), score: m.score }));
        output = { op: 'retrieve', memories, count: memories.length };
      }
      ctx.emitArtifact({ kind: 'memory', name: input.op === 'add' ? 'memory_add' : 'memory_retrieve', content: output });
      return output;
    },
  });
}
