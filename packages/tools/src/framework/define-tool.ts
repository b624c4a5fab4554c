/** `defineTool`: checks a tool definition and compiles its input and output schemas once. */
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { compileSchema } from './json-schema.ts';
import type { ToolDefinition } from './types.ts';

/** Tool names: lower snake case, as model providers accept them. */
export const TOOL_NAME_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

/** A defined tool: its definition, frozen, with compiled validators. */
export interface Tool<I = unknown, O = unknown> extends Readonly<ToolDefinition<I, O>> {
  readonly validateInput: ValidateFunction;
  readonly validateOutput: ValidateFunction;
}

/**
 * Defines a tool. Throws a plain `Error` (a programming mistake, not a runtime condition) when the name, retry policy
 * or timeout is invalid or a schema does not compile.
 */
export function defineTool<I = unknown, O = unknown>(definition: ToolDefinition<I, O>): Tool<I, O> {
  const { name, retry, timeout_ms } = definition;
  if (!TOOL_NAME_PATTERN.test(name)) throw new Error(`Invalid tool name "${name}"`);
  if (!Number.isInteger(retry.max_attempts) || retry.max_attempts < 1) {
    throw new Error(`Tool "${name}": retry.max_attempts must be an integer ≥ 1`);
  }
  if (!(retry.backoff_ms >= 0)) throw new Error(`Tool "${name}": retry.backoff_ms must be ≥ 0`);
  if (!(timeout_ms > 0)) throw new Error(`Tool "${name}": timeout_ms must be > 0`);
  if (!['read', 'write', 'external'].includes(definition.side_effect)) {
    throw new Error(`Tool "${name}": side_effect must be read, write or external`);
  }
  const tool: Tool<I, O> = {
    ...definition,
    retry: { ...retry },
    validateInput: compileSchema(definition.input_schema),
    validateOutput: compileSchema(definition.output_schema),
  };
  return Object.freeze(tool);
}
