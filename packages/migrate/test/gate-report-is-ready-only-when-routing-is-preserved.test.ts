import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { LlmctlError } from '@llmctl/contracts';
import { analyzeLegacyFlowchart, canonicalJson, checkInput, iterateInput, parseExportText, summarizeBatch, type LegacyGraph } from '../src/index.ts';
import { ALL_FIXTURES, multiMatchWithJoin, routeKeyDecision } from './fixtures/legacy-graphs.ts';

const MAP = { model_map: { '7': 'demo', '8': 'demo', default: 'demo' } };
const sha = (v: unknown) => createHash('sha256').update(canonicalJson(v)).digest('hex');

test('the report has exactly the spec\'s shape with canonical-JSON SHA-256 hashes', async () => {
  const r = await analyzeLegacyFlowchart(multiMatchWithJoin, 'graph_json', MAP);
  assert.deepEqual(Object.keys(r).sort(), ['after_hash', 'apply', 'before_hash', 'changed', 'compatibility_gate', 'contract_version', 'document', 'generated_at', 'issues', 'rollback', 'routing_simulation', 'source'].sort());
  assert.deepEqual(r.source, { kind: 'graph_json', legacy_id: 41, name: 'triage-multi-match' });
  assert.equal(r.before_hash, sha(multiMatchWithJoin));
  assert.equal(r.after_hash, sha(r.document));
  assert.match(r.after_hash, /^[0-9a-f]{64}$/);
  assert.equal(canonicalJson({ b: 1, a: [1, { d: 2, c: 'x' }] }), '{"a":[1,{"c":"x","d":2}],"b":1}');
  assert.deepEqual(Object.keys(r.compatibility_gate).sort(), ['blocking_issue_codes', 'error_count', 'status', 'warning_count', 'warning_issue_codes']);
  assert.deepEqual(r.rollback, { required: false, trigger_codes: [], pre_migration_hash: null });
  assert.equal(r.apply, null);
  const cases = r.routing_simulation[0]!.cases.map((c) => c.description);
  assert.deepEqual(cases, ['connector "reject_path" alone', 'connector "approve_path" alone', 'connector "urgent_path" alone',
    'connectors "reject_path" and "approve_path" together', 'connectors "reject_path" and "urgent_path" together', 'connectors "approve_path" and "urgent_path" together',
    'every connector together', 'no connector matches']);
  const both = r.routing_simulation[0]!.cases[5]!;
  assert.deepEqual([both.legacy_targets, both.new_targets, both.equal], [['n4', 'n5'], ['n4', 'n5'], true]);
  assert.deepEqual(r.routing_simulation[0]!.cases[7]!.legacy_targets, ['run_failed']);
});

test('a translation that changes routing is never ready, even without any mapping error', async () => {
  // The fallback connector also has a condition: llmctl fires it together with other matches, ours never does.
  const g: LegacyGraph = structuredClone(multiMatchWithJoin);
  (g.nodes[2]!.config as Record<string, unknown>).fallback_condition_key = 'reject_path';
  const r = await analyzeLegacyFlowchart(g, 'graph_json', MAP);
  assert.equal(r.compatibility_gate.status, 'blocked');
  assert.deepEqual(r.compatibility_gate.blocking_issue_codes, ['routing_simulation_mismatch']);
  const pair = r.routing_simulation[0]!.cases.find((c) => c.description === 'connectors "reject_path" and "urgent_path" together')!;
  assert.deepEqual([pair.legacy_targets, pair.new_targets, pair.equal], [['n6', 'n5'], ['n5'], false]);
  assert.deepEqual(r.rollback.trigger_codes, ['compatibility_gate_blocked', 'routing_simulation_mismatch']);
});

test('a document our save-time validation refuses is blocked with its validation codes', async () => {
  const g: LegacyGraph = structuredClone(routeKeyDecision);
  g.edges.push({ id: 99, source_node_id: 11, target_node_id: 11, edge_mode: 'solid' });
  const r = await analyzeLegacyFlowchart(g, 'graph_json', MAP);
  assert.equal(r.compatibility_gate.status, 'blocked');
  assert.ok(r.compatibility_gate.blocking_issue_codes.includes('self_loop'));
  const unknownModel = await analyzeLegacyFlowchart(routeKeyDecision, 'graph_json', { ...MAP, modelExists: () => false });
  assert.ok(unknownModel.compatibility_gate.blocking_issue_codes.includes('model_unknown'));
});

test('the batch counts ready, blocked and applied reports; strict:false is recorded', async () => {
  const reports = await Promise.all(ALL_FIXTURES.map((f) => analyzeLegacyFlowchart(f, 'graph_json', MAP)));
  const b = summarizeBatch(reports, { apply: false, strict: true });
  assert.equal(b.flowchart_count, 6);
  assert.equal(b.ready_count + b.blocked_count, 6);
  assert.equal(b.ready_count, reports.filter((r) => r.compatibility_gate.status === 'ready').length);
  assert.equal(b.applied_count, 0);
  assert.equal(b.contract_version, 'v1');
});

test('every input form is accepted: one graph, an array, a batch, llmctl migration reports', () => {
  const one = [...iterateInput(routeKeyDecision)];
  assert.deepEqual(one.map((i) => [i.kind, i.graph.flowchart.id]), [['graph_json', 42]]);
  assert.equal([...iterateInput([routeKeyDecision, multiMatchWithJoin])].length, 2);
  assert.equal([...iterateInput({ flowcharts: [routeKeyDecision, multiMatchWithJoin] })].length, 2);
  const llmctlReport = { contract_version: 'v1', reports: [{ compatibility_gate: { status: 'ready' }, pre_migration_snapshot: { flowchart: { id: 7, name: 'x' }, nodes: [], edges: [] } }] };
  assert.deepEqual([...iterateInput(llmctlReport)].map((i) => [i.kind, i.graph.flowchart.id]), [['migration_snapshot', 7]]);
  assert.equal(checkInput({ pre_migration_snapshot: { flowchart: { id: 8 }, nodes: [], edges: [] } }), 1);
});

test('malformed exports are migration_input_invalid with the path of the first problem', () => {
  const bad = (v: unknown, path: string) => assert.throws(() => checkInput(v), (e: unknown) => e instanceof LlmctlError && e.code === 'migration_input_invalid' && (e.details as { path: string }).path === path);
  bad({ flowcharts: [routeKeyDecision, { flowchart: { id: 'x' }, nodes: [], edges: [] }] }, '.flowcharts[1].flowchart.id');
  bad({ flowchart: { id: 1 }, nodes: [{ id: 1 }], edges: [] }, '.nodes[0].node_type');
  bad({ flowchart: { id: 1 }, nodes: [], edges: [{ id: 1, source_node_id: 'a', target_node_id: 2 }] }, '.edges[0].source_node_id');
  bad([], '');
  bad(42, '');
  assert.throws(() => parseExportText('{"flowcharts": ['), (e: unknown) => e instanceof LlmctlError && e.code === 'migration_input_invalid');
});

test('unknown node types and dangling edges are blocking report issues', async () => {
  const g: LegacyGraph = structuredClone(routeKeyDecision);
  g.nodes.push({ id: 50, node_type: 'webhook' });
  g.edges.push({ id: 60, source_node_id: 11, target_node_id: 77, edge_mode: 'solid' });
  const r = await analyzeLegacyFlowchart(g, 'graph_json', MAP);
  assert.ok(r.compatibility_gate.blocking_issue_codes.includes('validation.unknown_node_type'));
  assert.ok(r.compatibility_gate.blocking_issue_codes.includes('validation.edge_target_missing'));
  assert.equal(r.issues.find((i) => i.code === 'validation.edge_target_missing')!.legacy_edge_id, 60);
  assert.ok(!r.document.nodes.some((n) => n.id === 'n50'));
});
