/** Copy/paste of a selection of nodes (with the connectors between them) inside or across flowcharts. */
import type { FlowchartEdge, FlowchartNode } from '@llmctl/contracts';
import type { Graph, XY } from './types.ts';
import { toCanvasEdge, toCanvasNode } from './document-graph.ts';
import { nextEdgeId, uniqueId } from './graph-ops.ts';

/** What a copy holds: flowchart nodes with positions and the connectors whose both ends were copied. */
export interface Clipboard {
  kind: 'llmctl-clipboard';
  nodes: { node: FlowchartNode; position: XY }[];
  edges: FlowchartEdge[];
}

/** Copies the selected nodes and every connector between two selected nodes. Null when nothing is selected. */
export function copySelection(graph: Graph, nodeIds: Iterable<string>): Clipboard | null {
  const ids = new Set(nodeIds);
  const nodes = graph.nodes.filter((n) => ids.has(n.id));
  if (nodes.length === 0) return null;
  return {
    kind: 'llmctl-clipboard',
    nodes: nodes.map((n) => ({ node: structuredClone(n.data.node), position: { ...n.position } })),
    edges: graph.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => structuredClone(e.data.edge)),
  };
}

/**
 * Pastes a clipboard: every node gets a fresh unique id (its old id as the base), connectors are re-wired to the
 * new ids and get fresh edge ids, and positions shift by `offset`. Returns the new graph and the pasted node ids.
 */
export function pasteClipboard(graph: Graph, clip: Clipboard, offset: XY = { x: 40, y: 40 }): { graph: Graph; nodeIds: string[]; edgeIds: string[] } {
  const taken = new Set(graph.nodes.map((n) => n.id));
  const rename = new Map<string, string>();
  const nodes = clip.nodes.map(({ node, position }) => {
    const id = uniqueId(node.id, taken);
    taken.add(id);
    rename.set(node.id, id);
    return toCanvasNode({ ...structuredClone(node), id }, { x: position.x + offset.x, y: position.y + offset.y });
  });
  const edgeIds: string[] = [];
  const edges = clip.edges
    .filter((e) => rename.has(e.source) && rename.has(e.target))
    .map((e) => {
      const id = nextEdgeId(graph.edges, edgeIds);
      edgeIds.push(id);
      return toCanvasEdge({ ...structuredClone(e), id, source: rename.get(e.source)!, target: rename.get(e.target)! });
    });
  return {
    graph: { ...graph, nodes: [...graph.nodes, ...nodes], edges: [...graph.edges, ...edges] },
    nodeIds: nodes.map((n) => n.id),
    edgeIds,
  };
}

/** Serialises a clipboard for the system clipboard. */
export function serializeClipboard(clip: Clipboard): string {
  return JSON.stringify(clip);
}

/** Parses clipboard text; null when it is not an llmctl clipboard. */
export function parseClipboard(text: string): Clipboard | null {
  try {
    const v = JSON.parse(text) as Partial<Clipboard>;
    return v && v.kind === 'llmctl-clipboard' && Array.isArray(v.nodes) && Array.isArray(v.edges) ? (v as Clipboard) : null;
  } catch {
    return null;
  }
}
