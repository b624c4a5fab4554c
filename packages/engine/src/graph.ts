import type { FanIn, FlowchartDocument, FlowchartEdge, FlowchartNode, FlowchartSettings } from '@llmctl/contracts';
import { DEFAULT_SETTINGS } from '@llmctl/contracts';
import { fanInOf, isJoin, joinInputsOf } from './validation/fan-in-policy.ts';

/** A flowchart compiled for execution: adjacency in document order plus the precomputed join liveness sets. */
export interface CompiledGraph {
  doc: FlowchartDocument;
  nodes: Map<string, FlowchartNode>;
  startId: string;
  /** Outgoing trigger connectors per node, in document order. */
  triggerOut: Map<string, FlowchartEdge[]>;
  /** Incoming trigger connectors per node, in document order. */
  triggerIn: Map<string, FlowchartEdge[]>;
  /** Incoming context connectors per node. */
  contextIn: Map<string, FlowchartEdge[]>;
  edges: Map<string, FlowchartEdge>;
  /** Document order of each connector (ties between tokens break on it). */
  edgeOrder: Map<string, number>;
  /** Join policy of nodes with two or more incoming trigger connectors. */
  joins: Map<string, FanIn>;
  /**
   * For each join J and each of its incoming connectors c: the nodes from which source(c) is reachable over trigger
   * connectors without passing through J and without using connectors into start.
   */
  liveSets: Map<string, Map<string, Set<string>>>;
  /** Inverse of liveSets: node → the (join, connector) inputs an active element at that node keeps live. */
  keepsLive: Map<string, { join: string; connector: string }[]>;
  settings: Required<FlowchartSettings>;
}

/** Compiles a (validated) flowchart document. */
export function compileGraph(doc: FlowchartDocument, defaults: Required<FlowchartSettings> = DEFAULT_SETTINGS): CompiledGraph {
  const nodes = new Map(doc.nodes.map((n) => [n.id, n]));
  const start = doc.nodes.find((n) => n.type === 'start');
  if (!start) throw new Error('flowchart has no start node');
  const triggerOut = new Map<string, FlowchartEdge[]>();
  const triggerIn = new Map<string, FlowchartEdge[]>();
  const contextIn = new Map<string, FlowchartEdge[]>();
  const edges = new Map<string, FlowchartEdge>();
  const edgeOrder = new Map<string, number>();
  for (const n of doc.nodes) {
    triggerOut.set(n.id, []);
    triggerIn.set(n.id, []);
    contextIn.set(n.id, []);
  }
  doc.edges.forEach((e, i) => {
    edges.set(e.id, e);
    edgeOrder.set(e.id, i);
    if ((e.mode ?? 'trigger') === 'context') contextIn.get(e.target)?.push(e);
    else {
      triggerOut.get(e.source)?.push(e);
      triggerIn.get(e.target)?.push(e);
    }
  });
  const joins = new Map<string, FanIn>();
  for (const n of doc.nodes) {
    if (n.id !== start.id && isJoin(joinInputsOf(n, triggerIn.get(n.id) ?? []).length)) joins.set(n.id, fanInOf(n));
  }
  const liveSets = new Map<string, Map<string, Set<string>>>();
  const keepsLive = new Map<string, { join: string; connector: string }[]>();
  for (const [joinId] of joins) {
    const perInput = new Map<string, Set<string>>();
    for (const c of triggerIn.get(joinId) ?? []) {
      const set = reachersAvoiding(c.source, joinId, triggerIn, start.id);
      perInput.set(c.id, set);
      for (const n of set) {
        let list = keepsLive.get(n);
        if (!list) keepsLive.set(n, (list = []));
        list.push({ join: joinId, connector: c.id });
      }
    }
    liveSets.set(joinId, perInput);
  }
  return {
    doc, nodes, startId: start.id, triggerOut, triggerIn, contextIn, edges, edgeOrder, joins, liveSets, keepsLive,
    settings: { ...defaults, ...stripUndefined(doc.settings ?? {}) },
  };
}

/** Nodes that reach `target` (itself included) over trigger connectors, never entering `avoid`, never using connectors into start. */
function reachersAvoiding(target: string, avoid: string, triggerIn: Map<string, FlowchartEdge[]>, startId: string): Set<string> {
  const seen = new Set<string>();
  if (target === avoid) return seen;
  const stack = [target];
  seen.add(target);
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (v === startId) continue; // connectors into start are not followed backwards
    for (const e of triggerIn.get(v) ?? []) {
      if (e.source === avoid || seen.has(e.source)) continue;
      seen.add(e.source);
      stack.push(e.source);
    }
  }
  return seen;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
