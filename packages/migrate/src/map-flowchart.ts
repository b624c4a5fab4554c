/**
 * Maps one llmctl flowchart to a flowchart-v1 document (migration.md "Mapping"): `n<id>` / `e<id>` ids, model_map,
 * decisions → `match: all` with translated conditions, fallback connectors, edge modes, explicit `all` joins,
 * continue-as-new, milestone terminate flags, guardrails, bindings. Pure.
 */
import type { FlowchartDocument, FlowchartEdge, FlowchartNode } from '@llmctl/contracts';
import { IssueList } from './issues.ts';
import type { LegacyDecisionSpec } from './legacy-decision.ts';
import { LEGACY_NODE_TYPES, checkBindings, mapNodeConfig, parseConfig } from './map-nodes.ts';
import { translateCondition } from './translate-condition.ts';
import { translateRouteKey } from './translate-route-key.ts';
import { joinFeeders } from './graph-facts.ts';
import type { LegacyGraph, LegacyNode, MigrationIssue } from './types.ts';

/** A decision as the routing simulation needs it. */
export interface DecisionPlan {
  legacyId: number;
  nodeId: string;
  spec: LegacyDecisionSpec;
  routeKeyMode: boolean;
  /** Connector keys in order (non-empty, unique) with their condition texts (route-key mode: none). */
  keys: { key: string; text: string }[];
  structuredUpstream: boolean;
  upstreamId: number | null;
}

export interface MappingResult {
  document: FlowchartDocument;
  issues: MigrationIssue[];
  decisions: DecisionPlan[];
}

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : v === null || v === undefined ? '' : String(v).trim());
const nid = (id: number): string => `n${id}`;

function edgeMode(raw: unknown, edgeId: number, issues: IssueList): 'solid' | 'dotted' | 'dashed' {
  const m = str(raw).toLowerCase();
  if (m === 'solid' || m === 'dotted' || m === 'dashed') return m;
  if (m !== '') issues.warn('transform.defaulted_edge_mode', `Edge mode "${m}" defaulted to solid.`, { edge: edgeId });
  return 'solid';
}

function settingsOf(g: LegacyGraph, issues: IssueList): FlowchartDocument['settings'] {
  const out: Record<string, number> = {};
  for (const k of ['max_node_executions', 'max_runtime_minutes', 'max_parallel_nodes'] as const) {
    const v = g.flowchart[k];
    if (typeof v === 'number' && Number.isInteger(v) && v >= 1) out[k] = v;
    else issues.warn('guardrail_default_applies', `${k} is ${v === undefined ? 'missing' : JSON.stringify(v)} in llmctl: our server default now applies.`);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Maps one legacy graph. `strict: false` turns policy issues into warnings. */
export function mapFlowchart(g: LegacyGraph, opts: { model_map?: Record<string, string>; strict?: boolean } = {}): MappingResult {
  const issues = new IssueList(opts.strict !== false);
  const modelMap = opts.model_map ?? {};
  const legacyNodes = [...g.nodes].sort((a, b) => a.id - b.id);
  const byId = new Map<number, LegacyNode>(legacyNodes.map((n) => [n.id, n]));
  const configs = new Map<number, Record<string, unknown>>(legacyNodes.map((n) => [n.id, parseConfig(n, issues)]));
  const known = new Set<number>();
  for (const n of legacyNodes) {
    if ((LEGACY_NODE_TYPES as readonly string[]).includes(n.node_type)) known.add(n.id);
    else issues.error('validation.unknown_node_type', `Unknown node_type "${n.node_type}"; the node and its edges are left out.`, { node: n.id });
  }
  const starts = legacyNodes.filter((n) => n.node_type === 'start');
  if (starts.length !== 1) issues.error('validation.start_node_count', `Flowchart must have exactly one start node; found ${starts.length}.`);

  // Edges: dangling ones are reported and left out; modes normalised.
  const edges = [...g.edges].sort((a, b) => a.id - b.id).flatMap((e) => {
    if (!byId.has(e.source_node_id)) { issues.error('validation.edge_source_missing', `Edge source node ${e.source_node_id} does not exist.`, { edge: e.id }); return []; }
    if (!byId.has(e.target_node_id)) { issues.error('validation.edge_target_missing', `Edge target node ${e.target_node_id} does not exist.`, { edge: e.id }); return []; }
    if (!known.has(e.source_node_id) || !known.has(e.target_node_id)) return [];
    return [{ ...e, mode: edgeMode(e.edge_mode, e.id, issues), key: str(e.condition_key) }];
  });
  const solidIn = new Map<number, number[]>();
  for (const e of edges) if (e.mode === 'solid') solidIn.set(e.target_node_id, [...new Set([...(solidIn.get(e.target_node_id) ?? []), e.source_node_id])]);

  const decisions: DecisionPlan[] = [];
  const outEdges: FlowchartEdge[] = [];
  const structuredTasks = new Set<number>();
  for (const e of edges) {
    const src = byId.get(e.source_node_id)!;
    const edge: FlowchartEdge = { id: `e${e.id}`, source: nid(e.source_node_id), target: nid(e.target_node_id) };
    if (e.label) edge.ui = { label: e.label };
    if (e.mode !== 'solid') {
      edge.mode = 'context';
      if (e.mode === 'dashed') issues.warn('edge_dashed_attachment_only', 'A dashed (attachment-only) edge becomes a context connector: there is no attachment channel.', { edge: e.id });
    } else {
      if (byId.get(e.target_node_id)!.node_type === 'start') issues.warn('edge_into_start_continue_as_new', 'An edge back to start queues a new llmctl run; here it is continue-as-new (the run succeeds, a linked run starts with this output).', { edge: e.id });
      if (src.node_type !== 'decision' && e.key) issues.policy('policy.non_decision_condition_key', 'condition_key is only supported on decision solid outgoing edges; llmctl route-key routing of ordinary nodes is not carried over.', { edge: e.id, node: src.id });
    }
    outEdges.push(edge);
  }

  // Decisions: match all, translated conditions, fallback connector.
  const edgeById = new Map(outEdges.map((x) => [x.id, x]));
  for (const d of legacyNodes.filter((n) => n.node_type === 'decision')) {
    const cfg = configs.get(d.id)!;
    const solid = edges.filter((e) => e.source_node_id === d.id && e.mode === 'solid');
    const raw = Array.isArray(cfg.decision_conditions) ? cfg.decision_conditions : [];
    const seen = new Set<string>();
    const conditions = raw.flatMap((c) => {
      const item = c as { connector_id?: unknown; condition_text?: unknown } | null;
      const id = str(item?.connector_id);
      if (!item || typeof item !== 'object' || !id || seen.has(id)) return [];
      seen.add(id);
      return [{ connector_id: id, condition_text: str(item.condition_text) }];
    });
    const routeKeyMode = conditions.length === 0;
    const fallbackKey = str(cfg.fallback_condition_key) || null;
    const routeFieldPath = str(cfg.route_field_path) || null;
    const parents = solidIn.get(d.id) ?? [];
    const upstreamId = parents.length === 1 ? parents[0]! : null;
    const structuredUpstream = upstreamId !== null && byId.get(upstreamId)?.node_type === 'task';
    const textOf = new Map(conditions.map((c) => [c.connector_id, c.condition_text]));
    if (str(cfg.no_match_policy).toLowerCase() === 'fallback' && !fallbackKey) issues.error('validation.decision_fallback_policy_requires_connector', 'no_match_policy=fallback requires fallback_condition_key.', { node: d.id });
    if (fallbackKey && !solid.some((e) => e.key === fallbackKey)) issues.error('validation.decision_fallback_missing_connector', 'fallback_condition_key does not match a solid outgoing connector.', { node: d.id });
    if (routeKeyMode && fallbackKey) issues.warn('decision_unknown_route_key', 'llmctl fails the run when the route key names no connector; here the fallback connector is taken.', { node: d.id });
    const usedKeys = new Set<string>();
    let fallbackDone = false;
    for (const e of solid) {
      const edge = edgeById.get(`e${e.id}`)!;
      if (!e.key) {
        edge.condition = 'false';
        issues.warn('transform.generated_decision_connector_id', 'This decision edge has no connector id: llmctl can never take it.', { edge: e.id, node: d.id });
        continue;
      }
      if (usedKeys.has(e.key)) issues.warn('validation.decision_duplicate_condition_keys', `Connector id "${e.key}" is used by several edges; each is taken when it matches.`, { edge: e.id, node: d.id });
      else edge.route_key = e.key;
      if (e.key === fallbackKey && !fallbackDone) {
        fallbackDone = true;
        edge.fallback = true;
        if (!routeKeyMode && textOf.get(e.key)) issues.warn('decision_fallback_condition_ignored', 'The fallback connector also has a condition; llmctl takes it whenever that condition matches, ours only when nothing else does.', { edge: e.id, node: d.id });
        usedKeys.add(e.key);
        continue;
      }
      usedKeys.add(e.key);
      const t = routeKeyMode ? translateRouteKey(routeFieldPath, e.key, structuredUpstream) : translateCondition(textOf.get(e.key) ?? '', { structuredUpstream });
      if (!t.ok) {
        issues.error('condition_untranslatable', t.reason, { edge: e.id, node: d.id });
        edge.condition = 'false';
        continue;
      }
      edge.condition = t.expression;
      for (const note of t.notes) issues.warn(note.code, note.message, { edge: e.id, node: d.id });
      if (structuredUpstream) structuredTasks.add(upstreamId);
    }
    if (routeFieldPath) issues.warn('transform.removed_legacy_route_field_path', `route_field_path "${routeFieldPath}" is folded into the connector conditions.`, { node: d.id });
    decisions.push({
      legacyId: d.id, nodeId: nid(d.id), routeKeyMode, structuredUpstream, upstreamId,
      keys: [...new Set(solid.map((e) => e.key).filter(Boolean))].map((key) => ({ key, text: textOf.get(key) ?? '' })),
      spec: { conditions, fallbackKey, routeFieldPath, solidEdges: solid.map((e) => ({ condition_key: e.key, target: nid(e.target_node_id) })) },
    });
  }

  // Nodes, with explicit joins.
  const feeders = joinFeeders(legacyNodes.filter((n) => known.has(n.id)), edges);
  const nodes: FlowchartNode[] = [];
  for (const n of legacyNodes.filter((x) => known.has(x.id))) {
    const cfg = configs.get(n.id)!;
    checkBindings(n, issues);
    const base = n.node_type === 'decision' ? { type: 'decision' as const, config: { mode: 'deterministic', match: 'all' } } : mapNodeConfig(n, cfg, modelMap, issues);
    const node: FlowchartNode = { id: nid(n.id), ...base };
    if (n.title) node.name = String(n.title).slice(0, 200);
    node.ui = { x: n.x ?? 0, y: n.y ?? 0, legacy_id: n.id, ...(n.ref_id !== null && n.ref_id !== undefined ? { legacy_ref_id: n.ref_id } : {}) };
    if (n.node_type === 'task' && structuredTasks.has(n.id)) {
      node.config = { ...node.config, output_schema: { type: ['object', 'array'] } };
      issues.warn('task_structured_output', 'A decision reads this task\'s structured output: the answer must be JSON (llmctl fell back to {"text": …} for other answers).', { node: n.id });
    }
    const parents = solidIn.get(n.id) ?? [];
    if (parents.length >= 2) {
      const mode = str(cfg.fan_in_mode).toLowerCase();
      if (mode === 'any') node.fan_in = { policy: 'any' };
      else if (mode === 'custom' || mode === 'custom_n' || mode === 'custom-n') {
        const c = Number(cfg.fan_in_custom_count);
        if (!Number.isInteger(c) || c <= 0) { issues.warn('transform.invalid_fan_in_custom_count', 'fan_in_custom_count is not a positive integer: llmctl waits for all inputs.', { node: n.id }); node.fan_in = { policy: 'all' }; }
        else node.fan_in = c >= parents.length ? { policy: 'all' } : { policy: 'count', count: c };
      } else {
        if (mode !== '' && mode !== 'all') issues.warn('transform.invalid_fan_in_mode', `fan_in_mode "${mode}" is treated as all, as llmctl does.`, { node: n.id });
        node.fan_in = { policy: 'all' };
      }
      if (node.fan_in.policy !== 'any' && feeders.has(n.id)) {
        issues.warn('join_may_starve', `llmctl's implicit ${node.fan_in.policy} join is fed by ${feeders.get(n.id)}: when an input never delivers, llmctl silently ends the run completed, ours fails it with fan_in_starved. Consider fan_in inclusive.`, { node: n.id });
      }
    }
    nodes.push(node);
  }

  const name = str(g.flowchart.name) || `Flowchart ${g.flowchart.id}`;
  const document: FlowchartDocument = { schema_version: 1, name: name.slice(0, 200), nodes, edges: outEdges };
  if (str(g.flowchart.description)) document.description = String(g.flowchart.description);
  const settings = settingsOf(g, issues);
  if (settings) document.settings = settings;
  return { document, issues: issues.items, decisions };
}
