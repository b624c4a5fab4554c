import type { LegacyNode } from './types.ts';

interface SolidEdge {
  source_node_id: number;
  target_node_id: number;
  mode: string;
}

/**
 * Joins that a decision or a loop feeds: node id → "a decision (n3)" / "a loop". A join is fed by a decision when a
 * decision reaches one of its inputs over solid edges; it is in a loop when it reaches itself.
 */
export function joinFeeders(nodes: LegacyNode[], edges: SolidEdge[]): Map<number, string> {
  const succ = new Map<number, number[]>();
  const preds = new Map<number, number[]>();
  for (const e of edges) {
    if (e.mode !== 'solid') continue;
    succ.set(e.source_node_id, [...(succ.get(e.source_node_id) ?? []), e.target_node_id]);
    preds.set(e.target_node_id, [...(preds.get(e.target_node_id) ?? []), e.source_node_id]);
  }
  const reach = (from: number[], next: Map<number, number[]>): Set<number> => {
    const seen = new Set<number>();
    const stack = [...from];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(...(next.get(n) ?? []));
    }
    return seen;
  };
  const types = new Map(nodes.map((n) => [n.id, n.node_type]));
  const out = new Map<number, string>();
  for (const n of nodes) {
    const inputs = [...new Set(preds.get(n.id) ?? [])];
    if (inputs.length < 2) continue;
    if (reach(succ.get(n.id) ?? [], succ).has(n.id)) { out.set(n.id, 'a loop'); continue; }
    const upstream = reach(inputs, preds);
    const decision = [...upstream].find((id) => types.get(id) === 'decision');
    if (decision !== undefined) out.set(n.id, `a decision (n${decision})`);
  }
  return out;
}
