import { decisionMode, edgePath, nodePath, type Analysis, type IndexedEdge } from './analysis.ts';
import { capitalize, edgeLabel, IssueCollector, nodeLabel } from './issues.ts';

/**
 * `decision_no_outputs`, `decision_condition_missing`, `decision_fallback_multiple`, `llm_guided_route_keys` and the
 * warning `llm_guided_conditions_ignored`.
 */
export function checkDecisions(a: Analysis, out: IssueCollector): void {
  for (const n of a.nodes) {
    if (n.node.type !== 'decision' || a.byId.get(n.node.id) !== n) continue;
    const label = nodeLabel(n.node);
    const outs = a.triggerOut.get(n.node.id) ?? [];
    if (outs.length === 0) {
      out.error(
        'decision_no_outputs',
        `Decision ${label} has no outgoing trigger connector; a decision must route somewhere.`,
        { path: nodePath(n), node_id: n.node.id },
      );
    }
    const mode = decisionMode(n.node);
    for (const e of outs) {
      const at = { path: edgePath(e), edge_id: e.edge.id, node_id: n.node.id };
      if (mode === 'llm_guided') {
        if (e.edge.condition !== undefined) {
          out.warn(
            'llm_guided_conditions_ignored',
            `${capitalize(edgeLabel(e.edge))} has a condition, but decision ${label} is llm_guided: the model picks a route_key and the condition is ignored.`,
            { ...at, path: edgePath(e, 'condition') },
          );
        }
        if (e.edge.route_key === undefined) {
          out.error(
            'llm_guided_route_keys',
            `${capitalize(edgeLabel(e.edge))} has no route_key; every outgoing trigger connector of llm_guided decision ${label} needs one for the model to choose.`,
            at,
          );
        }
      } else if (e.edge.fallback !== true && e.edge.condition === undefined) {
        out.error(
          'decision_condition_missing',
          `${capitalize(edgeLabel(e.edge))} has no condition; every non-fallback connector of deterministic decision ${label} needs one.`,
          { ...at, path: edgePath(e, 'condition') },
        );
      }
    }
    const fallbacks = outs.filter((e) => e.edge.fallback === true);
    for (const extra of fallbacks.slice(1)) {
      out.error(
        'decision_fallback_multiple',
        `Decision ${label} has more than one fallback connector (${quoteIds(fallbacks)}); at most one is allowed.`,
        { path: edgePath(extra, 'fallback'), edge_id: extra.edge.id, node_id: n.node.id },
      );
    }
  }
}

/** `route_key_duplicate`: the connectors leaving one node have distinct route keys. */
export function checkRouteKeys(a: Analysis, out: IssueCollector): void {
  for (const [nodeId, outs] of a.outgoing) {
    const seen = new Map<string, IndexedEdge>();
    for (const e of outs) {
      const key = e.edge.route_key;
      if (key === undefined) continue;
      const first = seen.get(key);
      if (!first) seen.set(key, e);
      else {
        out.error(
          'route_key_duplicate',
          `${capitalize(edgeLabel(e.edge))} reuses route_key "${key}" of connector "${first.edge.id}"; route keys are unique among the connectors leaving node "${nodeId}".`,
          { path: edgePath(e, 'route_key'), edge_id: e.edge.id, node_id: nodeId },
        );
      }
    }
  }
}

function quoteIds(edges: IndexedEdge[]): string {
  return edges.map((e) => `"${e.edge.id}"`).join(', ');
}
