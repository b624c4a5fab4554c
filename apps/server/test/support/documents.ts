import type { FlowchartDocument } from '@llmctl/contracts';

/** A valid three-node document using `model` (register it first, or expect model_unknown). */
export function validDoc(name = 'Greeter', model = 'm1'): FlowchartDocument {
  return {
    schema_version: 1,
    name,
    nodes: [
      { id: 'start', type: 'start' },
      { id: 'ask', type: 'task', config: { model, prompt: 'Say hi to {{input.name}}' } },
      { id: 'done', type: 'end' },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'ask' },
      { id: 'e2', source: 'ask', target: 'done' },
    ],
  };
}

/** A scripted model body for POST /api/models. */
export function scriptedModel(name = 'm1') {
  return { name, provider: 'scripted', settings: { responses: [{ output: 'hi' }] } };
}
