/** Small tools used by the framework tests. */
import { LlmctlError } from '@llmctl/contracts';
import { defineTool, type ToolRunContext } from '../src/index.ts';

/** A tool that counts its side effect, emits one artifact and echoes `{ n }`, with hooks for failure modes. */
export function demoTool(options: {
  behaviour?: (input: { n: number }, ctx: ToolRunContext, attempt: number) => Promise<unknown> | unknown;
  max_attempts?: number;
  timeout_ms?: number;
} = {}) {
  const state = { sideEffects: 0, signals: [] as AbortSignal[] };
  const tool = defineTool<{ n: number }, { n: number }>({
    name: 'demo',
    description: 'Counts calls.',
    input_schema: { type: 'object', required: ['n'], additionalProperties: false, properties: { n: { type: 'integer', minimum: 0 } } },
    output_schema: { type: 'object', required: ['n'], additionalProperties: false, properties: { n: { type: 'integer' } } },
    side_effect: 'write',
    retry: { max_attempts: options.max_attempts ?? 3, backoff_ms: 1 },
    timeout_ms: options.timeout_ms ?? 5000,
    async run(input, ctx) {
      state.signals.push(ctx.signal);
      if (options.behaviour) {
        const out = await options.behaviour(input, ctx, ctx.attempt);
        if (out !== undefined) return out as { n: number };
      }
      state.sideEffects += 1;
      ctx.emitArtifact({ kind: 'demo', name: `demo-${input.n}`, content: { n: input.n } });
      return { n: input.n };
    },
  });
  return { tool, state };
}

/** Rejects when `signal` aborts (a well-behaved long-running tool). */
export function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
}

/** A retryable error. */
export function transient(): LlmctlError {
  return new LlmctlError('unavailable', 'try again', {}, true);
}
