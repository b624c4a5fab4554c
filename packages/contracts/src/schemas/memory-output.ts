import { dateTime, nonEmptyString, schemaHeader } from './common.ts';

const memory = {
  type: 'object',
  required: ['id', 'text', 'scope'],
  properties: {
    id: nonEmptyString,
    text: { type: 'string' },
    scope: nonEmptyString,
    score: { type: 'number' },
    created_at: dateTime,
  },
} as const;

/** Output of a `memory` node: `{ op: 'add', memory }` or `{ op: 'retrieve', memories, count }`. */
export const memoryOutputSchema = {
  ...schemaHeader('memory-output', 'Memory node output', 'The result of a memory add or retrieve operation.'),
  type: 'object',
  required: ['op'],
  properties: {
    op: { enum: ['add', 'retrieve'] },
    memory,
    memories: { type: 'array', items: memory },
    count: { type: 'integer', minimum: 0 },
  },
  if: { required: ['op'], properties: { op: { const: 'add' } } },
  then: { required: ['memory'], properties: { op: true, memory: true }, additionalProperties: false },
  else: { required: ['memories', 'count'], properties: { op: true, memories: true, count: true }, additionalProperties: false },
} as const;
