import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateFlowchart } from '../../src/validation/index.ts';
import { chain, errorCodes, issues, SPEC_EXAMPLE } from './fixtures.ts';

function mutated(fn: (doc: Record<string, any>) => void): unknown {
  const doc = structuredClone(SPEC_EXAMPLE) as Record<string, any>;
  fn(doc);
  return doc;
}

test('a non-object document is schema_invalid', () => {
  for (const doc of [null, 42, 'flowchart', []]) {
    const r = validateFlowchart(doc);
    assert.equal(r.valid, false);
    assert.deepEqual([...new Set(errorCodes(r))], ['schema_invalid']);
  }
});

test('an unknown top-level field is schema_invalid at its path', () => {
  const r = validateFlowchart(mutated((d) => { d.owner = 'me'; }));
  assert.deepEqual(r.errors.map((i) => [i.code, i.path]), [['schema_invalid', '/owner']]);
});

test('schema_version other than 1 is schema_invalid', () => {
  const r = validateFlowchart(mutated((d) => { d.schema_version = 2; }));
  assert.deepEqual(r.errors.map((i) => [i.code, i.path]), [['schema_invalid', '/schema_version']]);
});

test('a missing nodes array is schema_invalid', () => {
  const r = validateFlowchart(mutated((d) => { delete d.nodes; }));
  assert.deepEqual(r.errors.map((i) => i.path), ['/nodes']);
});

test('a node id outside the id pattern is schema_invalid and names the node', () => {
  const r = validateFlowchart(mutated((d) => { d.nodes[1].id = 'has space'; }));
  const [i] = issues(r, 'schema_invalid');
  assert.equal(i?.path, '/nodes/1/id');
  assert.equal(i?.node_id, 'has space');
  assert.match(i?.message ?? '', /has space/);
});

test('a node id longer than 64 characters is schema_invalid', () => {
  const r = validateFlowchart(mutated((d) => { d.nodes[1].id = 'x'.repeat(65); }));
  // The connectors still name the old id: reported in the same pass, not after the id is fixed.
  assert.deepEqual(r.errors.map((i) => i.path), ['/nodes/1/id', '/edges/0/target', '/edges/1/source']);
});

test('an unknown node type is schema_invalid', () => {
  const r = validateFlowchart(mutated((d) => { d.nodes[1].type = 'script'; }));
  assert.deepEqual(r.errors.map((i) => [i.code, i.path]), [['schema_invalid', '/nodes/1/type']]);
});

test('retry max_attempts below 1 is schema_invalid', () => {
  const r = validateFlowchart(mutated((d) => { d.nodes[1].retry.max_attempts = 0; }));
  assert.deepEqual(r.errors.map((i) => i.path), ['/nodes/1/retry/max_attempts']);
});

test('an edge mode other than trigger or context is schema_invalid', () => {
  const r = validateFlowchart(mutated((d) => { d.edges[0].mode = 'data'; }));
  const [i] = r.errors;
  assert.equal(i?.path, '/edges/0/mode');
  assert.equal(i?.edge_id, 'e1');
});

test('a task without a model is schema_invalid at /nodes/<i>/config/model', () => {
  const r = validateFlowchart(mutated((d) => { delete d.nodes[3].config.model; }));
  assert.deepEqual(r.errors.map((i) => [i.path, i.node_id]), [['/nodes/3/config/model', 'bug']]);
});

test('an llm_guided decision without a model is schema_invalid', () => {
  const r = validateFlowchart(mutated((d) => { d.nodes[2].config.mode = 'llm_guided'; }));
  assert.deepEqual(r.errors.map((i) => i.path), ['/nodes/2/config/model']);
});

test('fan_in count with a policy other than count is schema_invalid', () => {
  const r = validateFlowchart(mutated((d) => { d.nodes[5].fan_in = { policy: 'all', count: 2 }; }));
  assert.deepEqual(r.errors.map((i) => i.path), ['/nodes/5/fan_in/count']);
});

test('fan_in policy count without count is schema_invalid', () => {
  const r = validateFlowchart(mutated((d) => { d.nodes[5].fan_in = { policy: 'count' }; }));
  assert.deepEqual(r.errors.map((i) => i.path), ['/nodes/5/fan_in/count']);
});

test('an unknown field on a node is schema_invalid', () => {
  const r = validateFlowchart(mutated((d) => { d.nodes[1].label = 'x'; }));
  assert.deepEqual(r.errors.map((i) => i.path), ['/nodes/1/label']);
});

test('free-form ui data on nodes and edges is accepted', () => {
  const r = validateFlowchart(mutated((d) => {
    d.nodes[1].ui = { x: 10, y: 20, color: '#fff', nested: { any: [1, 'two'] } };
    d.edges[0].ui = { points: [[0, 0], [5, 5]] };
  }));
  assert.equal(r.valid, true);
});

test('schema issues carry the schema path in the message and in schema_path', () => {
  const r = validateFlowchart(mutated((d) => { d.nodes[1].retry.max_attempts = 0; }));
  const i = r.errors[0] as { message: string; schema_path?: string };
  assert.equal(i.schema_path, '#/$defs/retry/properties/max_attempts/minimum');
  assert.ok(i.message.includes('#/$defs/retry/properties/max_attempts/minimum'));
  assert.match(i.message, /classify/);
});

test('every schema violation is returned at once', () => {
  const r = validateFlowchart(mutated((d) => {
    d.schema_version = 3;
    d.nodes[1].timeout_s = -1;
    d.edges[1].fallback = 'yes';
  }));
  assert.deepEqual(r.errors.map((i) => i.path).sort(), ['/edges/1/fallback', '/nodes/1/timeout_s', '/schema_version']);
});

test('when the schema fails, the graph rules still run: every problem in one pass', () => {
  const doc = chain('a') as Record<string, any>;
  doc.nodes = doc.nodes.filter((n: { type: string }) => n.type !== 'start');
  doc.extra = true;
  const r = validateFlowchart(doc);
  assert.deepEqual(errorCodes(r), ['schema_invalid', 'start_missing', 'edge_dangling']);
});

test('a document without node and connector lists gets only its schema problems', () => {
  const r = validateFlowchart({ schema_version: 1, name: 'x', nodes: 'none' });
  assert.deepEqual([...new Set(errorCodes(r))], ['schema_invalid']);
});

test('a field the schema flagged is not reported again by a graph rule', () => {
  const doc = chain('a') as Record<string, any>;
  doc.nodes[1].config.model = '';
  const r = validateFlowchart(doc, { modelExists: () => false });
  assert.deepEqual(r.errors.map((i) => [i.code, i.path]), [['schema_invalid', '/nodes/1/config/model']]);
  assert.match(r.errors[0]!.message, /^Task "a" needs a model/);
});
