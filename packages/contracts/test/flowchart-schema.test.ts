import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NODE_TYPES, validateAgainst, type FlowchartDocument } from '../src/index.ts';
import { flowchart } from './samples.ts';

function check(doc: unknown) {
  return validateAgainst('flowchart-v1', doc);
}

function mutate(fn: (d: Record<string, any>) => void): unknown {
  const d = structuredClone(flowchart) as Record<string, any>;
  fn(d);
  return d;
}

function failsAt(fn: (d: Record<string, any>) => void, path: string): void {
  const r = check(mutate(fn));
  assert.equal(r.valid, false);
  assert.ok(r.errors.some((e) => e.path === path), `expected an error at ${path}, got ${JSON.stringify(r.errors)}`);
}

test('the typed sample flowchart (every node type) validates', () => {
  assert.deepEqual(check(flowchart), { valid: true, errors: [] });
});

test('the sample covers every node type', () => {
  assert.deepEqual([...new Set(flowchart.nodes.map((n) => n.type))].sort(), [...NODE_TYPES].sort());
});

test('a minimal document validates', () => {
  const doc = { schema_version: 1, name: 'x', nodes: [], edges: [] } satisfies FlowchartDocument;
  assert.equal(check(doc).valid, true);
});

test('unknown top-level fields are rejected', () => failsAt((d) => { d.version = 2; }, '/version'));
test('schema_version must be 1', () => failsAt((d) => { d.schema_version = 2; }, '/schema_version'));
test('name is required', () => failsAt((d) => { delete d.name; }, '/name'));
test('edges are required', () => failsAt((d) => { delete d.edges; }, '/edges'));
test('unknown settings are rejected', () => failsAt((d) => { d.settings.max_tokens = 1; }, '/settings/max_tokens'));
test('max_parallel_nodes must be a positive integer', () => failsAt((d) => { d.settings.max_parallel_nodes = 0; }, '/settings/max_parallel_nodes'));
test('node ids must match the id pattern', () => failsAt((d) => { d.nodes[1].id = 'a.b'; }, '/nodes/1/id'));
test('node ids may not be empty', () => failsAt((d) => { d.nodes[1].id = ''; }, '/nodes/1/id'));
test('node type must be known', () => failsAt((d) => { d.nodes[1].type = 'shell'; }, '/nodes/1/type'));
test('unknown node fields are rejected', () => failsAt((d) => { d.nodes[1].position = {}; }, '/nodes/1/position'));
test('retry max_attempts must be at least 1', () => failsAt((d) => { d.nodes[1].retry.max_attempts = 0; }, '/nodes/1/retry/max_attempts'));
test('retry rejects unknown fields', () => failsAt((d) => { d.nodes[1].retry.jitter = true; }, '/nodes/1/retry/jitter'));
test('timeout_s must be positive', () => failsAt((d) => { d.nodes[1].timeout_s = 0; }, '/nodes/1/timeout_s'));
test('fan_in policy must be known', () => failsAt((d) => { d.nodes[8].fan_in = { policy: 'first' }; }, '/nodes/8/fan_in/policy'));
test('fan_in count needs policy count', () => failsAt((d) => { d.nodes[8].fan_in = { policy: 'any', count: 1 }; }, '/nodes/8/fan_in/count'));
test('fan_in policy count needs count', () => failsAt((d) => { d.nodes[8].fan_in = { policy: 'count' }; }, '/nodes/8/fan_in/count'));
test('task config needs a model', () => failsAt((d) => { delete d.nodes[1].config.model; }, '/nodes/1/config/model'));
test('task config needs a prompt', () => failsAt((d) => { delete d.nodes[1].config.prompt; }, '/nodes/1/config/prompt'));
test('task nodes need a config', () => failsAt((d) => { delete d.nodes[1].config; }, '/nodes/1/config'));
test('task tools are names', () => failsAt((d) => { d.nodes[1].config.tools = [1]; }, '/nodes/1/config/tools/0'));
test('decision mode must be known', () => failsAt((d) => { d.nodes[2].config.mode = 'random'; }, '/nodes/2/config/mode'));
test('decision match must be known', () => failsAt((d) => { d.nodes[2].config.match = 'any'; }, '/nodes/2/config/match'));
test('an llm_guided decision needs a model', () => failsAt((d) => { delete d.nodes[2].config.model; }, '/nodes/2/config/model'));
test('memory op must be add or retrieve', () => failsAt((d) => { d.nodes[3].config.op = 'delete'; }, '/nodes/3/config/op'));
test('on_failure must be fail or fallback', () => failsAt((d) => { d.nodes[3].config.on_failure = 'ignore'; }, '/nodes/3/config/on_failure'));
test('plan op must be known', () => failsAt((d) => { d.nodes[4].config.op = 'delete'; }, '/nodes/4/config/op'));
test('milestone terminate must be known', () => failsAt((d) => { d.nodes[5].config.terminate = 'sometimes'; }, '/nodes/5/config/terminate'));
test('rag needs a collection', () => failsAt((d) => { delete d.nodes[6].config.collection; }, '/nodes/6/config/collection'));
test('flowchart nodes need a flowchart_id', () => failsAt((d) => { d.nodes[7].config = {}; }, '/nodes/7/config/flowchart_id'));
test('flowchart wait is a boolean', () => failsAt((d) => { d.nodes[7].config.wait = 'yes'; }, '/nodes/7/config/wait'));
test('edges need a source', () => failsAt((d) => { delete d.edges[0].source; }, '/edges/0/source'));
test('edge mode must be trigger or context', () => failsAt((d) => { d.edges[0].mode = 'data'; }, '/edges/0/mode'));
test('edge condition must be a string', () => failsAt((d) => { d.edges[0].condition = true; }, '/edges/0/condition'));
test('edge route_key may not be empty', () => failsAt((d) => { d.edges[2].route_key = ''; }, '/edges/2/route_key'));
test('unknown edge fields are rejected', () => failsAt((d) => { d.edges[0].label = 'x'; }, '/edges/0/label'));
test('ui must be an object', () => failsAt((d) => { d.nodes[0].ui = 'left'; }, '/nodes/0/ui'));

test('extra config fields beyond the documented ones are allowed', () => {
  assert.equal(check(mutate((d) => { d.nodes[3].config.tags = ['x']; })).valid, true);
});

test('fan_in count range is left to the graph rules (fan_in_invalid)', () => {
  assert.equal(check(mutate((d) => { d.nodes[8].fan_in = { policy: 'count', count: 0 }; })).valid, true);
});
