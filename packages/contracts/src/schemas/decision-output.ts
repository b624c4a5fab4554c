import { routingProperties, routingRequired, schemaHeader } from './common.ts';

/** Output of a `decision` node run: its routing record plus `value` (its triggering or skip output). */
export const decisionOutputSchema = {
  ...schemaHeader(
    'decision-output',
    'Decision node output',
    'The routing record plus value; tokens a decision sends carry value only.',
  ),
  type: 'object',
  required: [...routingRequired, 'value'],
  additionalProperties: false,
  properties: { ...routingProperties, value: true },
} as const;
