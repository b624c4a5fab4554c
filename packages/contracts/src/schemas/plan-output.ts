import { nonEmptyString, schemaHeader } from './common.ts';

const planItem = {
  type: 'object',
  required: ['key', 'title', 'status'],
  properties: { key: nonEmptyString, title: { type: 'string' }, status: nonEmptyString },
} as const;

/** Output of a `plan` node: the plan's items after the operation, and the item it completed (`complete_item`). */
export const planOutputSchema = {
  ...schemaHeader('plan-output', 'Plan node output', 'A plan and its items after a create_or_update or complete_item.'),
  type: 'object',
  required: ['plan_key', 'items'],
  additionalProperties: false,
  properties: {
    plan_key: nonEmptyString,
    items: { type: 'array', items: planItem },
    completed_item: { anyOf: [planItem, { type: 'null' }] },
  },
} as const;
