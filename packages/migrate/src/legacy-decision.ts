/**
 * A re-implementation of llmctl's decision node and decision routing, used by the routing simulation and the property
 * tests. Source (cited, not copied): nodadyoushutup/llmctl `app/llmctl-studio-backend/src/services/tasks.py` —
 * `_execute_flowchart_decision_node` (`_evaluate_condition`, legacy route-key mode) and
 * `_resolve_flowchart_outgoing_edges` (decision branch: every matched connector fires; no match → the
 * `fallback_condition_key` connector or a failure; an unknown matched connector id is a failure).
 */
import { coerceBool, extractPathValue, isNone, pyJsonDumps, pyStringify } from './legacy-python.ts';

export const EQUALS_RE = /^([A-Za-z0-9_.]+)\s*(==|!=)\s*(.+)$/;
export const CONTAINS_RE = /^([A-Za-z0-9_.]+)\s+contains\s+(.+)$/i;
export const ROUTE_KEY_PATHS = ['latest_upstream.output_state.structured_output.route_key', 'latest_upstream.routing_state.route_key'];
export const DEFAULT_ROUTE_FIELD_PATH = 'latest_upstream.output_state.structured_output.route_key';

/** `_strip_quotes`: one pair of matching surrounding quotes is removed. */
export function stripQuotes(value: string): string {
  const cleaned = value.trim();
  if (cleaned.length >= 2 && cleaned[0] === cleaned[cleaned.length - 1] && (cleaned[0] === '"' || cleaned[0] === "'")) return cleaned.slice(1, -1);
  return cleaned;
}

/** Python `str(x or "").strip()` for a route key candidate. */
function routeText(v: unknown): string {
  if (!coerceTruthy(v)) return '';
  return typeof v === 'string' ? v.trim() : pyStringify(v).trim();
}

/** Python truthiness (`x or ""`). */
function coerceTruthy(v: unknown): boolean {
  if (typeof v === 'string') return v.length > 0;
  return coerceBool(v);
}

/** `_evaluate_condition(condition_text)` against llmctl's decision input context. */
export function evaluateLegacyCondition(conditionText: string, inputContext: unknown): boolean {
  const cleaned = String(conditionText ?? '').trim();
  if (!cleaned) return false;
  const eq = EQUALS_RE.exec(cleaned);
  if (eq) {
    const resolved = extractPathValue(inputContext, eq[1]!.trim());
    if (isNone(resolved)) return false;
    const matched = pyStringify(resolved) === stripQuotes(eq[3]!);
    return eq[2] === '!=' ? !matched : matched;
  }
  const contains = CONTAINS_RE.exec(cleaned);
  if (contains) {
    const resolved = extractPathValue(inputContext, contains[1]!.trim());
    if (isNone(resolved)) return false;
    return pyStringify(resolved).toLowerCase().includes(stripQuotes(contains[2]!).toLowerCase());
  }
  const resolved = extractPathValue(inputContext, cleaned);
  if (!isNone(resolved)) return typeof resolved === 'boolean' ? resolved : coerceBool(resolved);
  for (const p of ROUTE_KEY_PATHS) {
    const candidate = routeText(extractPathValue(inputContext, p));
    if (candidate && candidate.toLowerCase() === cleaned.toLowerCase()) return true;
  }
  return pyJsonDumps(inputContext).toLowerCase().includes(cleaned.toLowerCase());
}

/** A legacy decision as the simulation needs it. */
export interface LegacyDecisionSpec {
  /** `decision_conditions` (connector_id, condition_text), as stored. */
  conditions: { connector_id: string; condition_text: string }[];
  fallbackKey: string | null;
  routeFieldPath: string | null;
  /** Solid outgoing edges in llmctl's order: condition key and target. */
  solidEdges: { condition_key: string; target: string }[];
}

/** What llmctl's scheduler does after a decision: the targets it queues, or `failed`. */
export type LegacyRouting = { failed: false; targets: string[] } | { failed: true; reason: string };

/** The connector ids the decision matches (`matched_connector_ids`), following llmctl's two modes. */
export function legacyMatchedConnectors(spec: LegacyDecisionSpec, inputContext: unknown): string[] {
  const seen = new Set<string>();
  const conditions = spec.conditions
    .map((c) => ({ connector_id: String(c.connector_id ?? '').trim(), condition_text: String(c.condition_text ?? '').trim() }))
    .filter((c) => c.connector_id !== '' && !seen.has(c.connector_id) && seen.add(c.connector_id));
  if (conditions.length === 0) {
    const path = (spec.routeFieldPath ?? '').trim() || DEFAULT_ROUTE_FIELD_PATH;
    let value = extractPathValue(inputContext, path);
    if (isNone(value)) value = extractPathValue(inputContext, 'latest_upstream.routing_state.route_key');
    const key = routeText(value);
    return key ? [key] : [];
  }
  return conditions.filter((c) => evaluateLegacyCondition(c.condition_text, inputContext)).map((c) => c.connector_id);
}

/** `_resolve_flowchart_outgoing_edges` for a decision with an explicit match set. */
export function legacyDecisionRouting(spec: LegacyDecisionSpec, inputContext: unknown): LegacyRouting {
  if (spec.solidEdges.length === 0) return { failed: true, reason: 'Decision node has no solid outgoing edges.' };
  const matched = legacyMatchedConnectors(spec, inputContext);
  const available = new Set(spec.solidEdges.map((e) => e.condition_key).filter((k) => k !== ''));
  const unknown = matched.filter((m) => !available.has(m));
  if (unknown.length > 0) return { failed: true, reason: `Decision routing referenced unknown connector_id(s): ${unknown.join(', ')}` };
  if (matched.length === 0) {
    const fb = (spec.fallbackKey ?? '').trim();
    if (!fb) return { failed: true, reason: 'Decision produced no matched_connector_ids and no fallback_condition_key was configured.' };
    const edge = spec.solidEdges.find((e) => e.condition_key === fb);
    return edge ? { failed: false, targets: [edge.target] } : { failed: true, reason: `Decision no-match fallback '${fb}' is not a valid solid outgoing connector.` };
  }
  const set = new Set(matched);
  return { failed: false, targets: spec.solidEdges.filter((e) => set.has(e.condition_key)).map((e) => e.target) };
}

/**
 * The decision's input context as llmctl builds it (`_build_flowchart_input_context`) for one upstream task whose
 * structured output is `structured`: the parts conditions can read, with fixed ids.
 */
export function legacyDecisionContext(structured: unknown, ids: { flowchartId: number; decisionId: number; upstreamId: number }): Record<string, unknown> {
  const routeKey = isNone((structured as Record<string, unknown> | null)?.route_key) || typeof structured !== 'object' || structured === null || Array.isArray(structured)
    ? undefined : (structured as Record<string, unknown>).route_key;
  const routing: Record<string, unknown> = {};
  if (routeKey !== undefined && !isNone(routeKey) && pyStringify(routeKey).trim()) routing.route_key = pyStringify(routeKey).trim();
  const entry = {
    node_id: ids.upstreamId, source_edge_id: null, node_type: 'task', condition_key: null, execution_index: 1,
    output_state: { node_type: 'task', structured_output: structured },
    routing_state: routing, sequence: 1, edge_mode: 'solid',
  };
  return {
    flowchart: { id: ids.flowchartId, run_id: 1, total_execution_count: 2 },
    node: { id: ids.decisionId, type: 'decision', execution_index: 1 },
    upstream_nodes: [entry], latest_upstream: entry,
    dotted_upstream_nodes: [], context_only_upstream_nodes: [], attachment_only_upstream_nodes: [],
    trigger_sources: [], pulled_dotted_sources: [], context_only_sources: [], pulled_attachment_sources: [],
    attachment_only_sources: [], context_only_source_count: 0, attachment_only_source_count: 0, propagated_attachments: [],
  };
}
