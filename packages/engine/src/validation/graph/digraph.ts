/** A small directed graph over string ids, in insertion order (so every traversal is deterministic). */
export interface Digraph {
  /** Every vertex, in insertion (document) order. */
  nodes: string[];
  /** Successors per vertex, in edge order (duplicates kept). */
  succ: Map<string, string[]>;
  /** Predecessors per vertex, in edge order (duplicates kept). */
  pred: Map<string, string[]>;
}

/** Builds a digraph from vertices and arcs; arcs naming an unknown vertex are ignored. */
export function buildDigraph(nodes: Iterable<string>, arcs: Iterable<{ source: string; target: string }>): Digraph {
  const g: Digraph = { nodes: [], succ: new Map(), pred: new Map() };
  for (const n of nodes) {
    if (g.succ.has(n)) continue;
    g.nodes.push(n);
    g.succ.set(n, []);
    g.pred.set(n, []);
  }
  for (const { source, target } of arcs) {
    const out = g.succ.get(source);
    const inc = g.pred.get(target);
    if (!out || !inc) continue;
    out.push(target);
    inc.push(source);
  }
  return g;
}

/** Successors of `n` (empty for unknown vertices). */
export function successors(g: Digraph, n: string): readonly string[] {
  return g.succ.get(n) ?? [];
}

/** Predecessors of `n` (empty for unknown vertices). */
export function predecessors(g: Digraph, n: string): readonly string[] {
  return g.pred.get(n) ?? [];
}
