/**
 * How a canvas shows a big graph, shared by the editor canvas and the run graph. A graph of at least
 * {@link CULL_MIN_NODES} nodes is culled to the viewport (React Flow's `onlyRenderVisibleElements`, with estimated sizes
 * for nodes never rendered, see node-size.ts); below {@link LOW_DETAIL_ZOOM} React Flow gets no nodes and no
 * connectors at all and the low-detail layer (low-detail-layer.tsx) draws them, so a click on the pane selects the node
 * drawn under it and the fit-view control fits the node list (React Flow then holds nothing to fit).
 */
import { useCallback, useMemo } from 'react';
import { useReactFlow, useStore } from '@xyflow/react';
import type { FlowEdge, FlowNode } from './graph-types.ts';
import { nodeAt } from './low-detail-layer.tsx';
import { CULL_MIN_NODES, LOW_DETAIL_ZOOM, nodeBounds } from './node-size.ts';

// At low detail React Flow gets no nodes and no connectors at all: the layer draws them. (Hiding them instead meant
// rebuilding every node object at each crossing of the threshold, and a hidden connector still keeps a component.)
const NO_NODES: FlowNode[] = [];
const NO_EDGES: FlowEdge[] = [];
const lowZoom = (s: { transform: [number, number, number] }): boolean => s.transform[2] < LOW_DETAIL_ZOOM;

/** Whether a graph of `nodeCount` nodes is culled to the viewport and drawn by the low-detail layer at low zoom. */
export function isBigGraph(nodeCount: number): boolean {
  return nodeCount >= CULL_MIN_NODES;
}

/** What {@link useBigGraph} gives a canvas. */
export interface BigGraph {
  /** The graph is big (culled to the viewport). */
  big: boolean;
  /** Big and below the low-detail zoom: render the low-detail layer, React Flow holds no elements. */
  low: boolean;
  /** Props for `<ReactFlow>`: the nodes and connectors it renders, culling, and the pane click at low detail. */
  flowProps: {
    nodes: FlowNode[];
    edges: FlowEdge[];
    onlyRenderVisibleElements: boolean;
    onPaneClick?: (e: { clientX: number; clientY: number }) => void;
  };
  /** Props for `<Controls>`: the fit-view control at low detail fits `nodes`. */
  controlsProps: { onFitView?: () => void };
}

/**
 * The culling and low-detail switch of a canvas (call inside a ReactFlowProvider). `nodes` and `edges` are the whole
 * graph (for big graphs give unmeasured nodes an estimated size and handles, see node-size.ts); `onSelect` receives the
 * id of a node clicked on the low-detail layer.
 */
export function useBigGraph(nodes: FlowNode[], edges: FlowEdge[], onSelect: (nodeId: string) => void): BigGraph {
  const rf = useReactFlow();
  const big = isBigGraph(nodes.length);
  const low = useStore(lowZoom) && big;
  const onPaneClick = useCallback(
    (e: { clientX: number; clientY: number }) => {
      const p = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const id = nodeAt(nodes, p.x, p.y, rf.getZoom());
      if (id) onSelect(id);
    },
    [rf, nodes, onSelect],
  );
  const fitAll = useCallback(() => {
    const b = nodeBounds(nodes);
    if (b) void rf.fitBounds(b, { padding: 0.1 });
  }, [rf, nodes]);
  return useMemo(
    () => ({
      big,
      low,
      flowProps: { nodes: low ? NO_NODES : nodes, edges: low ? NO_EDGES : edges, onlyRenderVisibleElements: big, ...(low ? { onPaneClick } : {}) },
      controlsProps: low ? { onFitView: fitAll } : {},
    }),
    [big, low, nodes, edges, onPaneClick, fitAll],
  );
}
