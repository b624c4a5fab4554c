/**
 * The schemas' property sets equal the TS types' keys. Each `satisfies Record<keyof T, …>` fails to compile when a key
 * is added to or removed from the type, and the assertions fail when the schema drifts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  NODE_RUN_STATUSES, NODE_TYPES, RUN_STATUSES, SCHEMAS,
  type Attempt, type ErrorInfo, type EventEnvelope, type FlowchartDocument, type FlowchartEdge, type FlowchartNode,
  type FlowchartSettings, type FlowchartExecutorSettings, type InputSnapshot, type LeftoverToken, type NodeRun, type RetryPolicy, type RoutingRecord, type Run,
} from '../src/index.ts';

type Keys<T> = Record<keyof T, true>;
type Schema = { properties: Record<string, unknown>; required?: string[]; $defs?: Record<string, Schema>; items?: Schema; anyOf?: Schema[] };

const schema = (name: string) => SCHEMAS[name] as Schema;
const props = (s: Schema | undefined) => Object.keys(s?.properties ?? {}).sort();
const keys = (k: Record<string, true>) => Object.keys(k).sort();
const flowDefs = () => schema('flowchart-v1').$defs as Record<string, Schema>;

test('flowchart-v1 top level matches FlowchartDocument', () => {
  const k = { schema_version: true, name: true, description: true, settings: true, nodes: true, edges: true } satisfies Keys<FlowchartDocument>;
  assert.deepEqual(props(schema('flowchart-v1')), keys(k));
});

test('flowchart-v1 node matches FlowchartNode', () => {
  const k = { id: true, type: true, name: true, config: true, retry: true, timeout_s: true, fan_in: true, ui: true, executor: true, gpu_fallback: true } satisfies Keys<FlowchartNode>;
  assert.deepEqual(props(flowDefs().node), keys(k));
});

test('flowchart-v1 edge matches FlowchartEdge', () => {
  const k = {
    id: true, source: true, target: true, mode: true, condition: true, route_key: true, fallback: true, required: true, ui: true,
  } satisfies Keys<FlowchartEdge>;
  assert.deepEqual(props(flowDefs().edge), keys(k));
});

test('flowchart-v1 settings and retry match FlowchartSettings and RetryPolicy', () => {
  const s = { max_node_executions: true, max_runtime_minutes: true, max_parallel_nodes: true, max_continuations: true } satisfies Keys<FlowchartSettings>;
  const r = { max_attempts: true, backoff_ms: true } satisfies Keys<RetryPolicy>;
  const x = { executor: true, gpu_fallback: true } satisfies Keys<FlowchartExecutorSettings>;
  assert.deepEqual(props(flowDefs().settings), keys({ ...s, ...x }));
  assert.deepEqual(props(flowDefs().retry), keys(r));
});

test('flowchart-v1 node types are NODE_TYPES', () => {
  assert.deepEqual((flowDefs().node?.properties.type as { enum: string[] }).enum, [...NODE_TYPES]);
});

test('node-run matches NodeRun, every field required', () => {
  const k = {
    id: true, node_id: true, node_type: true, iteration: true, status: true, outcome: true, fallback_used: true,
    degraded_reason: true, warnings: true, error: true, input_snapshot: true, output: true, routing: true, attempts: true,
    idempotency_key: true, retry_of: true, rewound_from: true, started_at: true, finished_at: true, usage: true, executor: true,
    child_run: true,
  } satisfies Keys<NodeRun>;
  assert.deepEqual(props(schema('node-run')), keys(k));
  // `executor` is absent until the node run has an attempt; `child_run` on every node run but a flowchart node's
  assert.deepEqual([...(schema('node-run').required ?? [])].sort(), keys(k).filter((x) => x !== 'executor' && x !== 'child_run'));
  assert.deepEqual((schema('node-run').properties.status as { enum: string[] }).enum, [...NODE_RUN_STATUSES]);
});

test('node-run attempts, errors and input snapshot match Attempt, ErrorInfo and InputSnapshot', () => {
  const nr = schema('node-run').properties as Record<string, Schema>;
  const a = { n: true, started_at: true, finished_at: true, error: true, executor: true } satisfies Keys<Attempt>;
  const e = { code: true, message: true, details: true, retryable: true } satisfies Keys<ErrorInfo>;
  const i = { tokens: true, upstream: true, context: true } satisfies Keys<InputSnapshot>;
  assert.deepEqual(props(nr.attempts?.items), keys(a));
  assert.deepEqual(props(nr.error?.anyOf?.[0]), keys(e));
  assert.deepEqual(props(nr.input_snapshot), keys(i));
});

test('run matches Run (node_runs optional)', () => {
  const k = {
    id: true, flowchart_id: true, flowchart_version: true, status: true, input: true, output: true, error: true, warnings: true,
    leftover_tokens: true, continued_from: true, continued_to: true, parent_run_id: true, created_at: true, started_at: true,
    finished_at: true, node_runs: true, continuation: true,
  } satisfies Keys<Run>;
  assert.deepEqual(props(schema('run')), keys(k));
  assert.deepEqual([...(schema('run').required ?? [])].sort(), keys(k).filter((x) => x !== 'node_runs' && x !== 'continuation'));
  assert.deepEqual((schema('run').properties.status as { enum: string[] }).enum, [...RUN_STATUSES]);
  const t = { node_id: true, connector_id: true, source_node_run_id: true } satisfies Keys<LeftoverToken>;
  assert.deepEqual(props((schema('run').properties as Record<string, Schema>).leftover_tokens?.items), keys(t));
});

test('routing matches RoutingRecord', () => {
  const k = { matched_connector_ids: true, route_key: true, route_keys: true, routing_state: true, evaluated: true } satisfies Keys<RoutingRecord>;
  assert.deepEqual(props(schema('routing')), keys(k));
});

test('event-envelope matches EventEnvelope, every field required', () => {
  const k = {
    contract_version: true, event_id: true, event_type: true, sequence: true, run_id: true, flowchart_id: true, emitted_at: true,
    idempotency_key: true, correlation_id: true, request_id: true, room_keys: true, payload: true,
  } satisfies Keys<EventEnvelope>;
  assert.deepEqual(props(schema('event-envelope')), keys(k));
  assert.deepEqual([...(schema('event-envelope').required ?? [])].sort(), keys(k));
});
