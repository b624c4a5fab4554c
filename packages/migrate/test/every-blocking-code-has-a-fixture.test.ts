/**
 * Every blocking code the mapper emits, each from a minimal variation of a fixture derived from llmctl's tests
 * (fixtures/legacy-graphs.ts names the source of each base graph).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeLegacyFlowchart, type LegacyGraph, type LegacyNode } from '../src/index.ts';
import { modesAndSpecials, routeKeyDecision } from './fixtures/legacy-graphs.ts';

const MAP = { model_map: { '7': 'demo', '8': 'demo', default: 'demo' } };

function withNode(base: LegacyGraph, node: Partial<LegacyNode> & { id: number }): LegacyGraph {
  const g = structuredClone(base);
  const i = g.nodes.findIndex((n) => n.id === node.id);
  if (i >= 0) g.nodes[i] = { ...g.nodes[i]!, ...node };
  else g.nodes.push({ node_type: 'task', ...node });
  return g;
}

const CASES: [string, LegacyGraph][] = [
  ['validation.start_node_count', { ...structuredClone(routeKeyDecision), nodes: routeKeyDecision.nodes.filter((n) => n.node_type !== 'start'), edges: routeKeyDecision.edges.filter((e) => e.source_node_id !== 1) }],
  ['validation.task_prompt_required', withNode(routeKeyDecision, { id: 11, config: { task_prompt: '  ' } })],
  ['validation.decision_fallback_missing_connector', withNode(routeKeyDecision, { id: 3, config: { fallback_condition_key: 'nowhere' } })],
  ['validation.decision_fallback_policy_requires_connector', withNode(routeKeyDecision, { id: 3, config: { no_match_policy: 'fallback' } })],
  ['memory_action_missing', withNode(modesAndSpecials, { id: 2, config: { mode: 'deterministic', text: 'x' } })],
  ['memory_source_path_unsupported', withNode(modesAndSpecials, { id: 2, config: { action: 'add', text_source_path: 'latest_upstream.output_state.raw_output' } })],
  ['plan_patch_unsupported', withNode(routeKeyDecision, { id: 11, node_type: 'plan', ref_id: 4, config: { mode: 'deterministic', patch: { add: [] } }, model_id: null })],
  ['milestone_option_unsupported', withNode(modesAndSpecials, { id: 4, config: { action: 'create_or_update', terminate_on_checkpoint: true } })],
  ['rag_mode_unsupported', withNode(modesAndSpecials, { id: 5, config: { mode: 'fresh_index', collections: ['docs'] } })],
  ['rag_collection_missing', withNode(modesAndSpecials, { id: 5, config: { mode: 'query', collections: [] } })],
  ['rag_multiple_collections', withNode(modesAndSpecials, { id: 5, config: { mode: 'query', collections: ['a', 'b'] } })],
  ['subflow_unmapped', withNode(routeKeyDecision, { id: 11, node_type: 'flowchart', ref_id: 77, config: {}, model_id: null })],
  ['binding_mcp_unsupported', modesAndSpecials],
  ['model_unmapped', withNode(routeKeyDecision, { id: 11, model_id: 999 })],
];

for (const [code, graph] of CASES) {
  test(`${code} blocks the report`, async () => {
    const r = await analyzeLegacyFlowchart(graph, 'graph_json', MAP);
    assert.equal(r.compatibility_gate.status, 'blocked');
    assert.ok(r.compatibility_gate.blocking_issue_codes.includes(code), `${code} not in ${r.compatibility_gate.blocking_issue_codes.join(', ')}`);
    assert.ok(r.rollback.trigger_codes.includes(code));
  });
}
