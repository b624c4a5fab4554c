/**
 * Editor graph model: the React-free representation of a flowchart on the canvas. Its node and edge shapes are
 * structurally compatible with @xyflow/react nodes and edges, so the React layer can hand them to the canvas as-is.
 */
import type { FlowchartEdge, FlowchartNode, FlowchartSettings } from '@llmctl/contracts';

/** A point on the canvas. */
export interface XY {
  x: number;
  y: number;
}

/** A node on the canvas: the flowchart node (without its position) plus canvas position and measured size. */
export interface CanvasNode {
  id: string;
  /** The flowchart node type (also the canvas node type). */
  type: string;
  position: XY;
  data: { node: FlowchartNode };
  measured?: { width?: number; height?: number };
}

/** A connector on the canvas: the flowchart edge plus canvas routing data. */
export interface CanvasEdge {
  id: string;
  source: string;
  target: string;
  type?: string;
  data: { edge: FlowchartEdge };
}

/** Document-level fields that are not nodes or edges. */
export interface GraphMeta {
  name: string;
  description?: string;
  settings?: FlowchartSettings;
}

/** Everything the editor edits (and undoes). Selection lives outside it. */
export interface Graph {
  meta: GraphMeta;
  nodes: CanvasNode[];
  edges: CanvasEdge[];
}
