import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeLegacyFlowchart, mapFlowchart, type LegacyGraph } from '../src/index.ts';
import { modesAndSpecials, multiMatchWithJoin, policyViolation, routeKeyDecision, untranslatableCondition } from './fixtures/legacy-graphs.ts';

const MAP = { model_map: { '7': 'demo', '8': 'demo' } };
const codes = (issues: { code: string; severity: string }[], severity: string) => issues.filter((i) => i.severity === severity).map((i) => i.code);

test('node and edge ids become n<id> / e<id>; legacy models map through model_map, unmapped ones block', () => {
  const m = mapFlowchart(multiMatchWithJoin, MAP);
  assert.deepEqual(m.document.nodes.map((n) => n.id), ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9']);
  assert.equal(m.document.edges[0]!.id, 'e10');
  assert.equal((m.document.nodes[1]!.config as { model: string }).model, 'demo');
  const unmapped = mapFlowchart(multiMatchWithJoin, { model_map: {} });
  const issue = unmapped.issues.find((i) => i.code === 'model_unmapped');
  assert.equal(issue?.severity, 'error');
  assert.equal(issue?.node_id, 'n2');
  assert.equal(issue?.legacy_node_id, 2);
});

test('decisions become match:all with JSONata conditions; fallback_condition_key marks that connector fallback', () => {
  const m = mapFlowchart(routeKeyDecision, MAP);
  const d = m.document.nodes.find((n) => n.id === 'n3')!;
  assert.deepEqual(d.config, { mode: 'deterministic', match: 'all' });
  const approve = m.document.edges.find((e) => e.id === 'e22')!;
  const reject = m.document.edges.find((e) => e.id === 'e23')!;
  assert.equal(approve.route_key, 'approve');
  assert.match(approve.condition!, /"approve"/);
  assert.equal(reject.fallback, true);
  assert.equal(reject.condition, undefined);
});

test('a route-key decision keeps routing by its key (llmctl\'s own migration sends it to the fallback every time)', async () => {
  const r = await analyzeLegacyFlowchart(routeKeyDecision, 'graph_json', MAP);
  assert.equal(r.compatibility_gate.status, 'ready');
  const approve = r.routing_simulation[0]!.cases.find((c) => c.description.includes('"approve"'))!;
  assert.deepEqual(approve.new_targets, ['n11']);
  assert.deepEqual(approve.legacy_targets, ['n11']);
});

test('a condition with no exact JSONata equivalent is a blocking condition_untranslatable', async () => {
  const r = await analyzeLegacyFlowchart(untranslatableCondition, 'graph_json', { model_map: { default: 'demo' } });
  assert.equal(r.compatibility_gate.status, 'blocked');
  assert.ok(r.compatibility_gate.blocking_issue_codes.includes('condition_untranslatable'));
  assert.equal(r.issues.find((i) => i.code === 'condition_untranslatable')?.legacy_edge_id, 12);
});

test('solid edges trigger, dotted ones give context, dashed ones give context with a warning', () => {
  const m = mapFlowchart(modesAndSpecials, MAP);
  const e = (id: string) => m.document.edges.find((x) => x.id === id)!;
  assert.equal(e('e40').mode, undefined);
  assert.equal(e('e42').mode, 'context');
  assert.equal(e('e43').mode, 'context');
  assert.deepEqual(m.issues.filter((i) => i.code === 'edge_dashed_attachment_only').map((i) => i.edge_id), ['e43']);
});

test('implicit all joins become explicit all, flagged join_may_starve when a decision or a loop feeds them', () => {
  const m = mapFlowchart(multiMatchWithJoin, MAP);
  assert.deepEqual(m.document.nodes.find((n) => n.id === 'n7')!.fan_in, { policy: 'all' });
  assert.deepEqual(m.issues.filter((i) => i.code === 'join_may_starve').map((i) => i.node_id), ['n7']);
  const loop: LegacyGraph = {
    flowchart: { id: 5, name: 'loop' },
    nodes: [{ id: 1, node_type: 'start' }, { id: 2, node_type: 'task', config: { task_prompt: 'x' }, model_id: 7 }, { id: 3, node_type: 'task', config: { task_prompt: 'y' }, model_id: 7 }],
    edges: [{ id: 1, source_node_id: 1, target_node_id: 2 }, { id: 2, source_node_id: 2, target_node_id: 3 }, { id: 3, source_node_id: 3, target_node_id: 2 }],
  };
  const l = mapFlowchart(loop, MAP);
  assert.deepEqual(l.document.nodes[1]!.fan_in, { policy: 'all' });
  assert.match(l.issues.find((i) => i.code === 'join_may_starve')!.message, /loop/);
});

test('an edge back to start becomes a continue-as-new trigger connector', () => {
  const m = mapFlowchart(modesAndSpecials, MAP);
  const back = m.document.edges.find((e) => e.id === 'e46')!;
  assert.deepEqual([back.source, back.target, back.mode], ['n6', 'n1', undefined]);
  assert.ok(m.issues.some((i) => i.code === 'edge_into_start_continue_as_new' && i.edge_id === 'e46'));
});

test('milestone terminate flags become terminate; unsupported loop options block', () => {
  const m = mapFlowchart(modesAndSpecials, MAP);
  assert.deepEqual(m.document.nodes.find((n) => n.id === 'n4')!.config, { op: 'complete', milestone_key: 'legacy-milestone-12', terminate: 'on_complete' });
  const g: LegacyGraph = { ...modesAndSpecials, nodes: modesAndSpecials.nodes.map((n) => (n.id === 4 ? { ...n, config: { action: 'create_or_update', terminate_always: true, loop_exit_after_runs: 3 } } : n)) };
  const m2 = mapFlowchart(g, MAP);
  assert.equal((m2.document.nodes.find((n) => n.id === 'n4')!.config as { terminate: string }).terminate, 'always');
  assert.ok(codes(m2.issues, 'error').includes('milestone_option_unsupported'));
});

test('null guardrails are left out with a warning that our defaults apply', () => {
  const m = mapFlowchart(modesAndSpecials, MAP);
  assert.deepEqual(m.document.settings, { max_node_executions: 100, max_parallel_nodes: 4 });
  assert.deepEqual(m.issues.filter((i) => i.code === 'guardrail_default_applies').length, 1);
  assert.equal(mapFlowchart(routeKeyDecision, MAP).document.settings, undefined);
});

test('unsupported bindings are listed per node: MCP on a task blocks (strict), scripts, skills and attachments warn', () => {
  const strict = mapFlowchart(modesAndSpecials, MAP);
  const on = (code: string) => strict.issues.filter((i) => i.code === code).map((i) => `${i.node_id}:${i.severity}`);
  assert.deepEqual(on('binding_mcp_unsupported'), ['n6:error']);
  assert.deepEqual(on('binding_mcp_system_managed'), ['n2:warning']);
  assert.deepEqual(on('binding_scripts_unsupported'), ['n3:warning']);
  assert.deepEqual(on('binding_skills_unsupported'), ['n3:warning']);
  assert.deepEqual(on('binding_attachments_unsupported'), ['n3:warning']);
  const lax = mapFlowchart(modesAndSpecials, { ...MAP, strict: false });
  assert.equal(lax.issues.find((i) => i.code === 'binding_mcp_unsupported')!.severity, 'warning');
});

test('condition keys on ordinary nodes are a policy issue (llmctl code policy.non_decision_condition_key)', async () => {
  const strict = await analyzeLegacyFlowchart(policyViolation, 'graph_json', { model_map: { default: 'demo' } });
  assert.deepEqual(strict.compatibility_gate.blocking_issue_codes, ['policy.non_decision_condition_key']);
  const lax = await analyzeLegacyFlowchart(policyViolation, 'graph_json', { model_map: { default: 'demo' }, strict: false });
  assert.equal(lax.compatibility_gate.status, 'ready');
  assert.ok(lax.compatibility_gate.warning_issue_codes.includes('policy.non_decision_condition_key'));
});
