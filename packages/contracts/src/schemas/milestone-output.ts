import { nonEmptyString, schemaHeader } from './common.ts';

/** Output of a `milestone` node; `terminated` is true when its `terminate` setting ended the run. */
export const milestoneOutputSchema = {
  ...schemaHeader('milestone-output', 'Milestone node output', 'A milestone after a create_or_update or complete.'),
  type: 'object',
  required: ['milestone_key', 'title', 'status', 'terminated'],
  additionalProperties: false,
  properties: {
    milestone_key: nonEmptyString,
    title: { type: 'string' },
    status: nonEmptyString,
    terminated: { type: 'boolean' },
  },
} as const;
