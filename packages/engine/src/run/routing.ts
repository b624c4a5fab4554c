import type { ErrorInfo, EvaluatedCondition, RoutingRecord } from '@llmctl/contracts';
import type { CompiledGraph } from '../graph.ts';

/** Result of evaluating one connector condition (done by the runtime: JSONata is asynchronous). */
export type ConditionResult = { connector_id: string; result: unknown } | { connector_id: string; error: { code: string; message: string } };

/** What an llm_guided decision chose (already validated against the output schema). */
export interface LlmChoice {
  route_keys: string[];
}

export type RoutingOutcome = { ok: true; routing: RoutingRecord } | { ok: false; error: ErrorInfo; routing: RoutingRecord };

/** The connectors whose conditions the runtime must evaluate for a node (non-fallback trigger connectors with a condition; none for llm_guided decisions). */
export function conditionsToEvaluate(g: CompiledGraph, nodeId: string): { connector_id: string; condition: string }[] {
  const node = g.nodes.get(nodeId);
  if (node?.type === 'decision' && (node.config?.mode ?? 'deterministic') === 'llm_guided') return [];
  return (g.triggerOut.get(nodeId) ?? [])
    .filter((e) => !e.fallback && typeof e.condition === 'string' && e.condition.trim() !== '')
    .map((e) => ({ connector_id: e.id, condition: e.condition! }));
}

function record(g: CompiledGraph, taken: string[], state: RoutingRecord['routing_state'], evaluated: EvaluatedCondition[]): RoutingRecord {
  const keys = taken.map((id) => g.edges.get(id)?.route_key).filter((k): k is string => typeof k === 'string');
  return { matched_connector_ids: taken, route_key: keys[0] ?? null, route_keys: keys, routing_state: state, evaluated };
}

/**
 * Selects the outgoing trigger connectors of a succeeded (or skipped) node run from its evaluated conditions
 * (runtime.md "Routing"). Pure.
 */
export function selectRouting(g: CompiledGraph, nodeId: string, results: ConditionResult[], choice?: LlmChoice): RoutingOutcome {
  const node = g.nodes.get(nodeId);
  const out = g.triggerOut.get(nodeId) ?? [];
  const evaluated: EvaluatedCondition[] = results.map((r) => ('error' in r ? { connector_id: r.connector_id, error: r.error } : { connector_id: r.connector_id, result: r.result }));
  if (out.length === 0) return { ok: true, routing: record(g, [], 'terminal', evaluated) };

  const byId = new Map(results.map((r) => [r.connector_id, r]));
  for (const r of results) {
    const bad = 'error' in r ? r.error.message : typeof r.result !== 'boolean' && r.result !== null && r.result !== undefined ? `condition returned ${JSON.stringify(r.result)}, not a boolean` : null;
    if (bad !== null) {
      return {
        ok: false,
        routing: record(g, [], 'no_route', evaluated),
        error: { code: 'route_invalid', message: `connector ${r.connector_id}: ${bad}`, details: { node_id: nodeId, connector_id: r.connector_id, error: bad }, retryable: false },
      };
    }
  }
  const isTrue = (id: string): boolean => {
    const e = g.edges.get(id);
    if (!e?.condition || e.condition.trim() === '') return true;
    const r = byId.get(id);
    return !!r && 'result' in r && r.result === true;
  };

  if (node?.type === 'decision') {
    const mode = (node.config?.mode as string | undefined) ?? 'deterministic';
    const match = (node.config?.match as string | undefined) ?? 'first';
    const candidates = out.filter((e) => !e.fallback);
    let taken: string[];
    if (mode === 'llm_guided') {
      const keys = new Set(choice?.route_keys ?? []);
      taken = candidates.filter((e) => e.route_key !== undefined && keys.has(e.route_key)).map((e) => e.id);
    } else {
      taken = candidates.filter((e) => isTrue(e.id)).map((e) => e.id);
    }
    if (match === 'first') taken = taken.slice(0, 1);
    if (taken.length > 0) return { ok: true, routing: record(g, taken, 'matched', evaluated) };
    const fb = out.find((e) => e.fallback);
    if (fb) return { ok: true, routing: record(g, [fb.id], 'fallback', evaluated) };
    return {
      ok: false,
      routing: record(g, [], 'no_route', evaluated),
      error: { code: 'decision_no_match', message: `decision ${nodeId} matched no connector and has no fallback`, details: { node_id: nodeId, evaluated }, retryable: false },
    };
  }
  const taken = out.filter((e) => isTrue(e.id)).map((e) => e.id);
  return { ok: true, routing: record(g, taken, taken.length > 0 ? 'matched' : 'no_route', evaluated) };
}
