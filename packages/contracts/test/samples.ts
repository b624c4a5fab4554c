/** Typed sample values: declared with the contracts' TS types (via `satisfies`) and validated against the schemas. */
import type {
  Attempt, ErrorInfo, EventEnvelope, FlowchartDocument, FlowchartEdge, FlowchartNode, FlowchartSettings, InputSnapshot,
  LeftoverToken, NodeRun, RoutingRecord, Run, TaskConfig, DecisionConfig,
} from '../src/index.ts';

export const settings = { max_node_executions: 100, max_runtime_minutes: 5, max_parallel_nodes: 2 } satisfies FlowchartSettings;

export const taskConfig = {
  model: 'demo', prompt: 'Classify: {{input.text}}', system: 'Be brief.',
  output_schema: { type: 'object', required: ['category'] }, max_repair_attempts: 2, tools: ['read_file'],
  temperature: 0.2, max_tokens: 256,
} satisfies TaskConfig;

export const decisionConfig = { mode: 'llm_guided', match: 'all', model: 'demo', prompt: 'Pick' } satisfies DecisionConfig;

export const nodes = [
  { id: 'start', type: 'start', ui: { x: 0, y: 0 } },
  { id: 'task_1', type: 'task', name: 'Task', config: { ...taskConfig }, retry: { max_attempts: 2, backoff_ms: 100 }, timeout_s: 30 },
  { id: 'route', type: 'decision', config: { ...decisionConfig } },
  { id: 'mem', type: 'memory', config: { mode: 'deterministic', op: 'retrieve', query: '{{input.text}}', scope: 'flowchart', limit: 5, on_failure: 'fallback' } },
  { id: 'plan', type: 'plan', config: { op: 'create_or_update', plan_key: 'p1', items: [{ key: 'a', title: '{{input.a}}' }] } },
  { id: 'ms', type: 'milestone', config: { op: 'complete', milestone_key: 'm1', title: 'Done', terminate: 'on_complete' } },
  { id: 'rag', type: 'rag', config: { collection: 'docs', query: '{{input.q}}', top_k: 3, on_failure: 'fail' } },
  { id: 'child', type: 'flowchart', config: { flowchart_id: 'fc_2', input: { q: '{{input.q}}' }, wait: false } },
  { id: 'join', type: 'task', config: { model: 'demo', prompt: '{{upstream}}' }, fan_in: { policy: 'count', count: 2 } },
  { id: 'done', type: 'end', config: { output: { answer: '{{upstream.join.text}}' } }, fan_in: { policy: 'any' } },
] satisfies FlowchartNode[];

export const edges = [
  { id: 'e1', source: 'start', target: 'task_1' },
  { id: 'e2', source: 'task_1', target: 'route', mode: 'trigger', ui: { label_offset: 4 } },
  { id: 'e3', source: 'route', target: 'mem', route_key: 'mem' },
  { id: 'e4', source: 'route', target: 'rag', route_key: 'rag', fallback: true },
  { id: 'e5', source: 'task_1', target: 'join', mode: 'context', required: true },
  { id: 'e6', source: 'mem', target: 'join', condition: 'output.count > 0' },
] satisfies FlowchartEdge[];

export const flowchart = {
  schema_version: 1, name: 'Sample', description: 'Every node type', settings, nodes, edges,
} satisfies FlowchartDocument;

export const errorInfo = {
  code: 'provider_unavailable', message: 'upstream 503', details: { status: 503 }, retryable: true,
} satisfies ErrorInfo;

export const routing = {
  matched_connector_ids: ['e3'], route_key: 'mem', route_keys: ['mem'], routing_state: 'matched',
  evaluated: [{ connector_id: 'e3', result: true }, { connector_id: 'e4', error: { code: 'route_invalid', message: 'boom' } }],
} satisfies RoutingRecord;

export const attempt = {
  n: 1, started_at: '2025-01-01T00:00:00.000Z', finished_at: '2025-01-01T00:00:01.000Z', error: errorInfo,
} satisfies Attempt;

export const inputSnapshot = {
  tokens: [{ connector_id: 'e1', source_node_run_id: 'nr_0', source_node_id: 'start', output: { text: 'hi' } }],
  upstream: { start: { text: 'hi' } },
  context: {},
} satisfies InputSnapshot;

export const nodeRun = {
  id: 'nr_1', node_id: 'task_1', node_type: 'task', iteration: 1, status: 'succeeded', outcome: 'success',
  fallback_used: false, degraded_reason: null, warnings: [{ code: 'template_path_missing', message: 'input.x' }],
  error: null, input_snapshot: inputSnapshot, output: { category: 'bug' }, routing, attempts: [attempt],
  idempotency_key: 'run:r1:node:task_1:iter:1', retry_of: null, rewound_from: null,
  started_at: '2025-01-01T00:00:00.000Z', finished_at: '2025-01-01T00:00:01.000Z', usage: { input_tokens: 10 },
} satisfies NodeRun;

export const leftover = { node_id: 'join', connector_id: 'e6', source_node_run_id: 'nr_1' } satisfies LeftoverToken;

export const run = {
  id: 'r1', flowchart_id: 'fc_1', flowchart_version: 3, status: 'succeeded', input: { text: 'hi' }, output: { ok: true },
  error: null, warnings: [], leftover_tokens: [leftover], continued_from: null, continued_to: null, parent_run_id: null,
  created_at: '2025-01-01T00:00:00.000Z', started_at: '2025-01-01T00:00:00.100Z', finished_at: '2025-01-01T00:00:02.000Z',
  node_runs: [nodeRun],
} satisfies Run;

export const event = {
  contract_version: 'v1', event_id: 'ev_1', event_type: 'flowchart:node:updated', sequence: 42, run_id: 'r1',
  flowchart_id: 'fc_1', emitted_at: '2025-01-01T00:00:00.000Z', idempotency_key: 'r1:42', correlation_id: 'c1',
  request_id: 'q1', room_keys: ['run:r1', 'flowchart:fc_1'], payload: { node_run: { id: 'nr_1' } },
} satisfies EventEnvelope;
