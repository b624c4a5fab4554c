/**
 * Simple layered (Sugiyama-style) auto-layout, left to right: back edges found by DFS are ignored, layers come from
 * longest paths over the remaining DAG, and a few barycenter sweeps reduce crossings. Deterministic, no dependencies.
 */
import type { XY } from './types.ts';

/** Options for {@link layoutPositions}. */
export interface LayoutOptions {
  /** Nodes to start the DFS from (e.g. the `start` node), in priority order. */
  roots?: string[];
  nodeWidth?: number;
  nodeHeight?: number;
  gapX?: number;
  gapY?: number;
  /** Barycenter sweeps (down + up counts as one). */
  sweeps?: number;
}

/** Result of layering, exposed for tests and for callers that want their own coordinates. */
export interface Layering {
  /** Layer index per node id. */
  layer: Map<string, number>;
  /** Node ids per layer, in final order. */
  layers: string[][];
  /** Edges ignored because they close a cycle. */
  backEdges: { source: string; target: string }[];
}

/** Assigns every node a layer and an order within its layer. */
export function computeLayering(ids: string[], edges: { source: string; target: string }[], opts: LayoutOptions = {}): Layering {
  const known = new Set(ids);
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  const indeg = new Map<string, number>(ids.map((id) => [id, 0]));
  const valid = edges.filter((e) => known.has(e.source) && known.has(e.target) && e.source !== e.target);
  for (const e of valid) {
    out.get(e.source)!.push(e.target);
    indeg.set(e.target, (indeg.get(e.target) ?? 0) + 1);
  }
  // DFS order: roots, then sources, then the rest.
  const starts = [
    ...(opts.roots ?? []).filter((r) => known.has(r)),
    ...ids.filter((id) => (indeg.get(id) ?? 0) === 0),
    ...ids,
  ];
  const state = new Map<string, 1 | 2>(); // 1 on stack, 2 done
  const discovery: string[] = [];
  const back = new Set<string>();
  for (const s of starts) {
    if (state.has(s)) continue;
    const stack: { id: string; i: number }[] = [{ id: s, i: 0 }];
    state.set(s, 1);
    discovery.push(s);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const next = out.get(top.id)![top.i++];
      if (next === undefined) {
        state.set(top.id, 2);
        stack.pop();
        continue;
      }
      const st = state.get(next);
      if (st === 1) back.add(`${top.id}\u0000${next}`);
      else if (st === undefined) {
        state.set(next, 1);
        discovery.push(next);
        stack.push({ id: next, i: 0 });
      }
    }
  }
  const dag = valid.filter((e) => !back.has(`${e.source}\u0000${e.target}`));
  const preds = new Map<string, string[]>(ids.map((id) => [id, []]));
  const succs = new Map<string, string[]>(ids.map((id) => [id, []]));
  const dagIn = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const e of dag) {
    preds.get(e.target)!.push(e.source);
    succs.get(e.source)!.push(e.target);
    dagIn.set(e.target, dagIn.get(e.target)! + 1);
  }
  // Longest-path layering via Kahn's algorithm in discovery order.
  const layer = new Map<string, number>(ids.map((id) => [id, 0]));
  const queue = discovery.filter((id) => dagIn.get(id) === 0);
  const remaining = new Map(dagIn);
  for (let qi = 0; qi < queue.length; qi++) {
    const u = queue[qi]!;
    for (const v of succs.get(u)!) {
      layer.set(v, Math.max(layer.get(v)!, layer.get(u)! + 1));
      remaining.set(v, remaining.get(v)! - 1);
      if (remaining.get(v) === 0) queue.push(v);
    }
  }
  const depth = Math.max(0, ...layer.values());
  const layers: string[][] = Array.from({ length: depth + 1 }, () => []);
  for (const id of discovery) layers[layer.get(id)!]!.push(id);
  // Barycenter sweeps.
  const index = new Map<string, number>();
  const reindex = (): void => layers.forEach((l) => l.forEach((id, i) => index.set(id, i)));
  reindex();
  const sortBy = (l: string[], neighbours: Map<string, string[]>): void => {
    const key = new Map<string, number>();
    for (const id of l) {
      const ns = neighbours.get(id)!.filter((n) => index.has(n));
      key.set(id, ns.length ? ns.reduce((a, n) => a + index.get(n)!, 0) / ns.length : index.get(id)!);
    }
    l.sort((a, b) => key.get(a)! - key.get(b)! || index.get(a)! - index.get(b)!);
    l.forEach((id, i) => index.set(id, i));
  };
  for (let s = 0; s < (opts.sweeps ?? 4); s++) {
    for (let i = 1; i < layers.length; i++) sortBy(layers[i]!, preds);
    for (let i = layers.length - 2; i >= 0; i--) sortBy(layers[i]!, succs);
  }
  return { layer, layers, backEdges: valid.filter((e) => back.has(`${e.source}\u0000${e.target}`)) };
}

/** Computes top-left positions for every node id: layers left to right, each layer centred vertically on y = 0. */
export function layoutPositions(ids: string[], edges: { source: string; target: string }[], opts: LayoutOptions = {}): Map<string, XY> {
  const { layers } = computeLayering(ids, edges, opts);
  const w = opts.nodeWidth ?? 180;
  const h = opts.nodeHeight ?? 64;
  const gx = opts.gapX ?? 90;
  const gy = opts.gapY ?? 40;
  const pos = new Map<string, XY>();
  layers.forEach((l, li) => {
    l.forEach((id, i) => pos.set(id, { x: li * (w + gx), y: Math.round((i - (l.length - 1) / 2) * (h + gy)) }));
  });
  return pos;
}
