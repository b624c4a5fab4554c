/**
 * Conversion between a flowchart document (flowchart-v1) and the editor graph. Node positions travel in the
 * node's free-form `ui` object as `ui.x` / `ui.y`; everything else round-trips untouched.
 */
import type { FlowchartDocument, FlowchartEdge, FlowchartNode } from '@llmctl/contracts';
import type { CanvasEdge, CanvasNode, Graph, XY } from './types.ts';
import { layoutPositions } from './layout.ts';

function readPosition(ui: Record<string, unknown> | undefined): XY | null {
  if (!ui) return null;
  const pos = (typeof ui.position === 'object' && ui.position !== null ? ui.position : ui) as Record<string, unknown>;
  const x = pos.x;
  const y = pos.y;
  return typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y) ? { x, y } : null;
}

function stripPosition(ui: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!ui) return undefined;
  const { x: _x, y: _y, position: _p, ...rest } = ui;
  return Object.keys(rest).length ? rest : undefined;
}

/** Builds a canvas node for a flowchart node at a position. */
export function toCanvasNode(node: FlowchartNode, position: XY): CanvasNode {
  const ui = stripPosition(node.ui);
  const clean: FlowchartNode = { ...node };
  if (ui) clean.ui = ui;
  else delete clean.ui;
  return { id: node.id, type: node.type, position: { x: position.x, y: position.y }, data: { node: clean } };
}

/** Builds a canvas edge for a flowchart edge. */
export function toCanvasEdge(edge: FlowchartEdge): CanvasEdge {
  return { id: edge.id, source: edge.source, target: edge.target, type: 'llmctl', data: { edge: { ...edge } } };
}

/**
 * Converts a flowchart document into an editor graph. When any node lacks a stored position, the whole graph is
 * auto-laid-out (a partially positioned document would overlap otherwise).
 */
export function documentToGraph(doc: FlowchartDocument): Graph {
  const nodes = Array.isArray(doc.nodes) ? doc.nodes : [];
  const edges = Array.isArray(doc.edges) ? doc.edges : [];
  const stored = nodes.map((n) => readPosition(n.ui));
  const needsLayout = stored.some((p) => p === null);
  const laid = needsLayout
    ? layoutPositions(
        nodes.map((n) => n.id),
        edges.filter((e) => e.mode !== 'context').map((e) => ({ source: e.source, target: e.target })),
        { roots: nodes.filter((n) => n.type === 'start').map((n) => n.id) },
      )
    : null;
  const meta: Graph['meta'] = { name: typeof doc.name === 'string' ? doc.name : '' };
  if (doc.description !== undefined) meta.description = doc.description;
  if (doc.settings !== undefined) meta.settings = { ...doc.settings };
  return {
    meta,
    nodes: nodes.map((n, i) => toCanvasNode(n, (laid ? laid.get(n.id) : stored[i]) ?? { x: 0, y: i * 100 })),
    edges: edges.map(toCanvasEdge),
  };
}

/** Converts the editor graph back into a flowchart document (positions rounded into `ui.x` / `ui.y`). */
export function graphToDocument(graph: Graph): FlowchartDocument {
  const doc: FlowchartDocument = { schema_version: 1, name: graph.meta.name, nodes: [], edges: [] };
  if (graph.meta.description !== undefined && graph.meta.description !== '') doc.description = graph.meta.description;
  if (graph.meta.settings && Object.keys(graph.meta.settings).length) doc.settings = { ...graph.meta.settings };
  doc.nodes = graph.nodes.map((cn) => {
    const node: FlowchartNode = { ...cn.data.node, id: cn.id };
    node.ui = { ...(cn.data.node.ui ?? {}), x: Math.round(cn.position.x), y: Math.round(cn.position.y) };
    return node;
  });
  doc.edges = graph.edges.map((ce) => ({ ...ce.data.edge, id: ce.id, source: ce.source, target: ce.target }));
  return doc;
}

/** An empty new flowchart: start → end. */
export function newFlowchartDocument(name: string): FlowchartDocument {
  return {
    schema_version: 1,
    name,
    nodes: [
      { id: 'start', type: 'start', ui: { x: 0, y: 0 } },
      { id: 'end', type: 'end', ui: { x: 320, y: 0 } },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'end' }],
  };
}
