import { routingProperties, routingRequired, schemaHeader } from './common.ts';

/** The routing record persisted with every succeeded or skipped node run (runtime.md "Routing"). Mirrors `RoutingRecord`. */
export const routingSchema = {
  ...schemaHeader('routing', 'Routing record', 'Which outgoing trigger connectors a node run took, and why.'),
  type: 'object',
  required: [...routingRequired],
  additionalProperties: false,
  properties: routingProperties,
} as const;
