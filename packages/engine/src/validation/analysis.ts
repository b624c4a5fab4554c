import type { EdgeMode, FlowchartDocument, FlowchartEdge, FlowchartNode } from '@llmctl/contracts';
import { buildDigraph, type Digraph } from './graph/digraph.ts';
import { reachableFrom } from './graph/reachability.ts';

/** A connector with its position in `edges` (for paths) and its effective mode. */
export interface IndexedEdge {
  edge: FlowchartEdge;
  index: number;
  mode: EdgeMode;
  /** Both endpoints name existing nodes. */
  connected: boolean;
}

/** A node with its position in `nodes`. */
export interface IndexedNode {
  node: FlowchartNode;
  index: number;
}

/**
 * A schema-valid document indexed for the graph rules. Graph facts only use connected connectors (dangling ones are
 * reported by `edge_dangling` and ignored otherwise); with duplicate node ids the first occurrence wins.
 */
export interface Analysis {
  doc: FlowchartDocument;
  nodes: IndexedNode[];
  edges: IndexedEdge[];
  /** First node with each id. */
  byId: Map<string, IndexedNode>;
  /** The first `start` node in document order (the one the runtime uses), if any. */
  start?: IndexedNode;
  /** Outgoing connected connectors of every mode, per node, in document order. */
  outgoing: Map<string, IndexedEdge[]>;
  /** Outgoing connected trigger connectors per node, in document order. */
  triggerOut: Map<string, IndexedEdge[]>;
  /** Incoming connected trigger connectors per node, in document order. */
  triggerIn: Map<string, IndexedEdge[]>;
  /**
   * The trigger graph the runtime walks: connected trigger connectors, except connectors into a `start` node (those
   * continue as a new run and never activate anything in this one).
   */
  flow: Digraph;
  /** Nodes reachable from the start node over `flow` (empty without a start node). */
  reachable: Set<string>;
}

/** Indexes a schema-valid document. */
export function analyse(doc: FlowchartDocument): Analysis {
  const nodes = doc.nodes.map((node, index) => ({ node, index }));
  const byId = new Map<string, IndexedNode>();
  for (const n of nodes) if (!byId.has(n.node.id)) byId.set(n.node.id, n);
  const edges: IndexedEdge[] = doc.edges.map((edge, index) => ({
    edge,
    index,
    mode: edge.mode ?? 'trigger',
    connected: byId.has(edge.source) && byId.has(edge.target),
  }));
  const outgoing = new Map<string, IndexedEdge[]>();
  const triggerOut = new Map<string, IndexedEdge[]>();
  const triggerIn = new Map<string, IndexedEdge[]>();
  for (const id of byId.keys()) {
    outgoing.set(id, []);
    triggerOut.set(id, []);
    triggerIn.set(id, []);
  }
  for (const e of edges) {
    if (!e.connected) continue;
    outgoing.get(e.edge.source)?.push(e);
    if (e.mode !== 'trigger') continue;
    triggerOut.get(e.edge.source)?.push(e);
    triggerIn.get(e.edge.target)?.push(e);
  }
  const flowArcs = edges
    .filter((e) => e.connected && e.mode === 'trigger' && byId.get(e.edge.target)?.node.type !== 'start')
    .map((e) => e.edge);
  const flow = buildDigraph(byId.keys(), flowArcs);
  const start = nodes.find((n) => n.node.type === 'start');
  const reachable = start ? reachableFrom(flow, [start.node.id]) : new Set<string>();
  return { doc, nodes, edges, byId, start, outgoing, triggerOut, triggerIn, flow, reachable };
}

/** Config field of a node, if set. */
export function configValue(node: FlowchartNode, key: string): unknown {
  return node.config?.[key];
}

/** Decision mode (`deterministic` by default). */
export function decisionMode(node: FlowchartNode): 'deterministic' | 'llm_guided' {
  return configValue(node, 'mode') === 'llm_guided' ? 'llm_guided' : 'deterministic';
}

/** Decision match (`first` by default). */
export function decisionMatch(node: FlowchartNode): 'first' | 'all' {
  return configValue(node, 'match') === 'all' ? 'all' : 'first';
}

/** True for `end` nodes and milestones whose `terminate` setting ends the run (`always` / `on_complete`). */
export function endsRun(node: FlowchartNode): boolean {
  if (node.type === 'end') return true;
  const terminate = configValue(node, 'terminate');
  return node.type === 'milestone' && (terminate === 'always' || terminate === 'on_complete');
}

/** Path of a node (or one of its fields). */
export function nodePath(n: IndexedNode, ...rest: string[]): string {
  return ['', 'nodes', String(n.index), ...rest].join('/');
}

/** Path of a connector (or one of its fields). */
export function edgePath(e: IndexedEdge, ...rest: string[]): string {
  return ['', 'edges', String(e.index), ...rest].join('/');
}
