/** Published contract schemas used as tool output schemas. */
import { getSchema } from '@llmctl/contracts';
import type { JsonSchema } from '../framework/json-schema.ts';

/** The published contract schema `name` (e.g. `memory-output`); throws when the contracts package lacks it. */
export function contractSchema(name: string): JsonSchema {
  const schema = getSchema(name);
  if (!schema) throw new Error(`The contracts package publishes no "${name}" schema`);
  return schema as JsonSchema;
}
