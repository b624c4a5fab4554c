/** Pure editing operations on the editor graph. Every function returns a new graph and never mutates its input. */
import type { EdgeMode, FlowchartEdge, FlowchartNode, NodeType } from '@llmctl/contracts';
import { joinInputsOf } from '@llmctl/engine';
import type { CanvasEdge, CanvasNode, Graph, XY } from './types.ts';
import { nodeKind } from './node-catalog.ts';
import { toCanvasEdge, toCanvasNode } from './document-graph.ts';
import { layoutPositions } from './layout.ts';

/** The node/edge id pattern of flowchart-v1. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Returns `base` (sanitised to the id pattern) or `base_2`, `base_3`… whichever is not in `taken`. */
export function uniqueId(base: string, taken: Iterable<string>): string {
  const set = taken instanceof Set ? (taken as Set<string>) : new Set(taken);
  const clean = base.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 56) || 'n';
  if (!set.has(clean)) return clean;
  for (let i = 2; ; i++) {
    const id = `${clean}_${i}`;
    if (!set.has(id)) return id;
  }
}

/** Returns the next free edge id of the form `e<N>`. */
export function nextEdgeId(edges: { id: string }[], extra: Iterable<string> = []): string {
  const taken = new Set([...edges.map((e) => e.id), ...extra]);
  let n = edges.length + 1;
  while (taken.has(`e${n}`)) n++;
  return `e${n}`;
}

/** Adds a node of `type` at `position` with the type's default config. */
export function addNode(graph: Graph, type: NodeType, position: XY): { graph: Graph; id: string } {
  const id = uniqueId(type, graph.nodes.map((n) => n.id));
  const config = nodeKind(type).defaultConfig();
  const node: FlowchartNode = { id, type };
  if (Object.keys(config).length) node.config = config;
  return { graph: { ...graph, nodes: [...graph.nodes, toCanvasNode(node, position)] }, id };
}

/**
 * Connects `source` to `target` with a new connector (default mode `trigger`). Returns null when an identical
 * connector (same endpoints and mode) already exists or an endpoint is unknown.
 */
export function connect(graph: Graph, source: string, target: string, mode: EdgeMode = 'trigger'): { graph: Graph; id: string } | null {
  if (!graph.nodes.some((n) => n.id === source) || !graph.nodes.some((n) => n.id === target)) return null;
  const dup = graph.edges.some((e) => e.source === source && e.target === target && (e.data.edge.mode ?? 'trigger') === mode);
  if (dup) return null;
  const id = nextEdgeId(graph.edges);
  const edge: FlowchartEdge = { id, source, target };
  if (mode === 'context') edge.mode = 'context';
  return { graph: { ...graph, edges: [...graph.edges, toCanvasEdge(edge)] }, id };
}

/** Removes nodes (and every connector touching them) and connectors. */
export function removeElements(graph: Graph, nodeIds: Iterable<string>, edgeIds: Iterable<string>): Graph {
  const nodes = new Set(nodeIds);
  const edges = new Set(edgeIds);
  if (nodes.size === 0 && edges.size === 0) return graph;
  return {
    ...graph,
    nodes: graph.nodes.filter((n) => !nodes.has(n.id)),
    edges: graph.edges.filter((e) => !edges.has(e.id) && !nodes.has(e.source) && !nodes.has(e.target)),
  };
}

/** Replaces one node's flowchart data through `fn` (the id cannot change here; see {@link renameNode}). */
export function updateNode(graph: Graph, id: string, fn: (node: FlowchartNode) => FlowchartNode): Graph {
  let changed = false;
  const nodes = graph.nodes.map((cn) => {
    if (cn.id !== id) return cn;
    const next = fn(cn.data.node);
    if (next === cn.data.node) return cn;
    changed = true;
    return { ...cn, type: next.type, data: { node: { ...next, id } } };
  });
  return changed ? { ...graph, nodes } : graph;
}

/** Sets (or, for `undefined` / `''`, removes) a top-level field of a node. */
export function setNodeField<K extends keyof FlowchartNode>(node: FlowchartNode, key: K, value: FlowchartNode[K] | undefined): FlowchartNode {
  const next = { ...node };
  if (value === undefined || (value as unknown) === '') delete next[key];
  else next[key] = value;
  return next;
}

/** Sets (or, for `undefined` / `''`, removes) one key of a node's `config`. */
export function setConfigField(node: FlowchartNode, key: string, value: unknown): FlowchartNode {
  const config = { ...(node.config ?? {}) };
  if (value === undefined || value === '') delete config[key];
  else config[key] = value;
  const next: FlowchartNode = { ...node, config };
  if (Object.keys(config).length === 0) delete next.config;
  return next;
}

/** Patches a connector; keys whose value is `undefined`, `''` or `false` are removed. */
export function updateEdge(graph: Graph, id: string, patch: Partial<Omit<FlowchartEdge, 'id' | 'source' | 'target'>>): Graph {
  let changed = false;
  const edges = graph.edges.map((ce) => {
    if (ce.id !== id) return ce;
    const edge: FlowchartEdge = { ...ce.data.edge };
    for (const [k, v] of Object.entries(patch)) {
      const key = k as keyof FlowchartEdge;
      if (v === undefined || v === '' || v === false || (key === 'mode' && v === 'trigger')) delete edge[key];
      else (edge as unknown as Record<string, unknown>)[key] = v;
    }
    changed = true;
    return { ...ce, data: { edge } };
  });
  return changed ? { ...graph, edges } : graph;
}

/** Renames a node and rewires its connectors; returns an error message instead when the new id is unusable. */
export function renameNode(graph: Graph, oldId: string, newId: string): Graph | string {
  if (oldId === newId) return graph;
  if (!ID_PATTERN.test(newId)) return 'ids are 1-64 characters of A-Z, a-z, 0-9, _ and -';
  if (graph.nodes.some((n) => n.id === newId)) return `a node "${newId}" already exists`;
  const swap = (id: string): string => (id === oldId ? newId : id);
  return {
    ...graph,
    nodes: graph.nodes.map((n) => (n.id === oldId ? { ...n, id: newId, data: { node: { ...n.data.node, id: newId } } } : n)),
    edges: graph.edges.map((e) =>
      e.source === oldId || e.target === oldId
        ? { ...e, source: swap(e.source), target: swap(e.target), data: { edge: { ...e.data.edge, source: swap(e.source), target: swap(e.target) } } }
        : e,
    ),
  };
}

/** Moves nodes to new positions. */
export function moveNodes(graph: Graph, positions: Map<string, XY>): Graph {
  if (positions.size === 0) return graph;
  return { ...graph, nodes: graph.nodes.map((n) => (positions.has(n.id) ? { ...n, position: { ...positions.get(n.id)! } } : n)) };
}

/** Records measured sizes reported by the canvas. */
export function measureNodes(graph: Graph, sizes: Map<string, { width: number; height: number }>): Graph {
  if (sizes.size === 0) return graph;
  let changed = false;
  const nodes = graph.nodes.map((n) => {
    const s = sizes.get(n.id);
    if (!s || (n.measured?.width === s.width && n.measured?.height === s.height)) return n;
    changed = true;
    return { ...n, measured: { width: s.width, height: s.height } };
  });
  return changed ? { ...graph, nodes } : graph;
}

/** Re-positions every node with the layered auto-layout (trigger connectors only; `start` nodes first). */
export function autoLayoutGraph(graph: Graph): Graph {
  const width = Math.max(180, ...graph.nodes.map((n) => n.measured?.width ?? 0));
  const height = Math.max(56, ...graph.nodes.map((n) => n.measured?.height ?? 0));
  const pos = layoutPositions(
    graph.nodes.map((n) => n.id),
    graph.edges.filter((e) => e.data.edge.mode !== 'context').map((e) => ({ source: e.source, target: e.target })),
    { roots: graph.nodes.filter((n) => n.type === 'start').map((n) => n.id), nodeWidth: width, nodeHeight: height },
  );
  return moveNodes(graph, pos);
}

/** Outgoing connectors of a node, in document order. */
export function outgoingEdges(graph: Graph, nodeId: string): CanvasEdge[] {
  return graph.edges.filter((e) => e.source === nodeId);
}

/** Incoming connectors of a node, in document order. */
export function incomingEdges(graph: Graph, nodeId: string): CanvasEdge[] {
  return graph.edges.filter((e) => e.target === nodeId);
}

/** Number of join inputs of a node, by the engine's rule (`joinInputsOf`: trigger connectors; none for a start node). */
export function joinInputCount(graph: Graph, node: Pick<FlowchartNode, 'id' | 'type'>): number {
  return joinInputsOf(node, graph.edges.map((e) => ({ target: e.target, mode: e.data.edge.mode }))).length;
}

/** Finds a node by id. */
export function findNode(graph: Graph, id: string): CanvasNode | undefined {
  return graph.nodes.find((n) => n.id === id);
}

/** Default size assumed for nodes the canvas has not measured yet. */
export const DEFAULT_NODE_SIZE = { width: 180, height: 64 };

/**
 * The first position at or below `desired` (stepping down, then right) where a node of `size` overlaps no
 * existing node (with an 8 px margin). Used when adding nodes by click so they never land on top of another.
 */
export function freePosition(graph: Graph, desired: XY, size = DEFAULT_NODE_SIZE): XY {
  const m = 8;
  const boxes = graph.nodes.map((n) => ({ x: n.position.x, y: n.position.y, w: n.measured?.width ?? size.width, h: n.measured?.height ?? size.height }));
  const hits = (p: XY): boolean => boxes.some((b) => p.x < b.x + b.w + m && p.x + size.width + m > b.x && p.y < b.y + b.h + m && p.y + size.height + m > b.y);
  for (let col = 0; col < 10; col++) {
    for (let row = 0; row < 10; row++) {
      const p = { x: desired.x + col * (size.width + 2 * m), y: desired.y + row * (size.height + 2 * m) };
      if (!hits(p)) return p;
    }
  }
  return desired;
}
