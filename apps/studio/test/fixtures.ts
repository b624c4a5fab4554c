import type { FlowchartDocument, NodeRun, Run } from '@llmctl/contracts';

/** The ticket-triage sample of flowchart-v1.md. */
export function triageDoc(): FlowchartDocument {
  return {
    schema_version: 1,
    name: 'Ticket triage',
    nodes: [
      { id: 'start', type: 'start' },
      { id: 'classify', type: 'task', name: 'Classify', config: { model: 'demo-classifier', prompt: 'Classify: {{input.text}}' }, retry: { max_attempts: 3, backoff_ms: 200 }, timeout_s: 120 },
      { id: 'route', type: 'decision', config: { mode: 'deterministic', match: 'first' } },
      { id: 'bug', type: 'task', config: { model: 'demo-classifier', prompt: '...' } },
      { id: 'other', type: 'task', config: { model: 'demo-classifier', prompt: '...' } },
      { id: 'done', type: 'end' },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'classify' },
      { id: 'e2', source: 'classify', target: 'route' },
      { id: 'e3', source: 'route', target: 'bug', route_key: 'bug', condition: "output.category = 'bug'" },
      { id: 'e4', source: 'route', target: 'other', route_key: 'other', fallback: true },
      { id: 'e5', source: 'bug', target: 'done' },
      { id: 'e6', source: 'other', target: 'done' },
    ],
  };
}

/** A node run with defaults. */
export function nodeRun(p: Partial<NodeRun> & Pick<NodeRun, 'id' | 'node_id' | 'status'>): NodeRun {
  return {
    node_type: 'task', iteration: 1, outcome: null, fallback_used: false, degraded_reason: null, warnings: [], error: null,
    input_snapshot: { tokens: [], upstream: {} }, output: null, routing: null, attempts: [], idempotency_key: `k-${p.id}`,
    retry_of: null, rewound_from: null, started_at: '2024-01-01T00:00:00Z', finished_at: null, usage: null, ...p,
  };
}

/** A run with defaults. */
export function run(p: Partial<Run> = {}): Run {
  return {
    id: 'r1', flowchart_id: 'f1', flowchart_version: 1, status: 'running', input: {}, output: null, error: null, warnings: [],
    leftover_tokens: [], continued_from: null, continued_to: null, parent_run_id: null, created_at: '2024-01-01T00:00:00Z',
    started_at: '2024-01-01T00:00:00Z', finished_at: null, node_runs: [], ...p,
  };
}
