import type { FlowchartDocument } from '@llmctl/contracts';

/** A small document naming `model` in its task node. */
export function doc(name: string, model = 'demo-scripted'): FlowchartDocument {
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
