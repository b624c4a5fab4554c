import { schemaHeader } from './common.ts';

/**
 * The output of a `task` node run: any JSON value (validated against the node's `output_schema` when it has one),
 * else `{ "text": "<answer>" }` (`$defs/text_output`).
 */
export const nodeOutputSchema = {
  ...schemaHeader(
    'node-output',
    'Task node output',
    'With output_schema: the validated JSON value (any JSON). Without: { "text": "<answer>" } ($defs/text_output).',
  ),
  $defs: {
    text_output: {
      type: 'object',
      required: ['text'],
      additionalProperties: false,
      properties: { text: { type: 'string' } },
    },
  },
} as const;
