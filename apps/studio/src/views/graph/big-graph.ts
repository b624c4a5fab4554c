/**
 * How a canvas shows a big graph, shared by the editor canvas and the run graph. A graph of at least
 * {@link CULL_MIN_NODES} nodes is windowed: React Flow holds only the nodes and connectors around the viewport
 * (view-window.ts), culls those to what is on screen (`onlyRenderVisibleElements`, with estimated sizes for nodes
 * never rendered, see node-size.ts), and gets nodes newly on screen at most {@link MOUNT_PER_FRAME} per frame (the
 * low-detail layer draws the waiting ones as boxes meanwhile). Below {@link LOW_DETAIL_ZOOM} React Flow gets no nodes
 * and no connectors at all and the low-detail layer (low-detail-layer.tsx) draws the graph, so a click on the pane
 * selects the node drawn under it. The fit-view control fits the whole node list (React Flow holds only a window).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useReactFlow, useStore, useStoreApi, type ReactFlowState } from '@xyflow/react';
import type { FlowEdge, FlowNode } from './graph-types.ts';
import { nodeAt } from './low-detail-layer.tsx';
import { CULL_MIN_NODES, LOW_DETAIL_ZOOM } from './node-size.ts';
import { fitNodes, type FitNodesOptions } from './fit-nodes.ts';
import { admit, enlarge, MOUNT_PER_FRAME, viewRect, windowContent, windowServes, type Rect } from './view-window.ts';

const NO_NODES: FlowNode[] = [];
const NO_EDGES: FlowEdge[] = [];
const NONE: ReadonlySet<string> = new Set();
const lowZoom = (s: { transform: [number, number, number] }): boolean => s.transform[2] < LOW_DETAIL_ZOOM;
const paneReady = (s: ReactFlowState): boolean => s.width > 0 && s.height > 0;

export { MOUNT_PER_FRAME };

/** Whether a graph of `nodeCount` nodes is windowed and drawn by the low-detail layer at low zoom. */
export function isBigGraph(nodeCount: number): boolean {
  return nodeCount >= CULL_MIN_NODES;
}

/** What {@link useBigGraph} gives a canvas. */
export interface BigGraph {
  /** The graph is big (windowed). */
  big: boolean;
  /** Big and below the low-detail zoom: render the low-detail layer, React Flow holds no elements. */
  low: boolean;
  /** The pane has a size (a big graph's first fit waits for it, see {@link BigGraph.fit}). */
  ready: boolean;
  /** What the low-detail layer draws: everything at low detail, the nodes waiting to be handed to React Flow else. */
  layer: { nodes: FlowNode[]; edges: FlowEdge[] } | null;
  /** Nodes of the window on screen not yet handed to React Flow (0 once the view is complete). */
  mounting: number;
  /** Props for `<ReactFlow>`: the nodes and connectors it holds, culling, and the pane click at low detail. */
  flowProps: {
    nodes: FlowNode[];
    edges: FlowEdge[];
    onlyRenderVisibleElements: boolean;
    onPaneClick?: (e: { clientX: number; clientY: number }) => void;
  };
  /** Props for `<GraphControls>` (graph-controls.tsx): for big graphs the fit-view control fits every node. */
  controlsProps: { onFitAll?: () => void };
  /** Fits the view to every node of the graph (not only those React Flow holds). */
  fit: (options?: FitNodesOptions) => boolean;
}

/**
 * The windowing and low-detail switch of a canvas (call inside a ReactFlowProvider). `nodes` and `edges` are the whole
 * graph (for big graphs give unmeasured nodes an estimated size and handles, see node-size.ts); `onSelect` receives the
 * id of a node clicked on the low-detail layer.
 */
export function useBigGraph(nodes: FlowNode[], edges: FlowEdge[], onSelect: (nodeId: string) => void): BigGraph {
  const rf = useReactFlow();
  const store = useStoreApi();
  const big = isBigGraph(nodes.length);
  const low = useStore(lowZoom) && big;
  const ready = useStore(paneReady);

  // The window: recomputed only when the viewport leaves it (panning inside it re-renders nothing here).
  const [win, setWin] = useState<Rect | null>(null);
  const winRef = useRef<Rect | null>(null);
  useEffect(() => {
    if (!big) return;
    const check = (s: ReactFlowState): void => {
      let next = winRef.current;
      if (s.transform[2] < LOW_DETAIL_ZOOM || !s.width || !s.height) next = null;
      else {
        const view = viewRect(s.transform, s.width, s.height);
        if (!windowServes(next, view)) next = enlarge(view);
      }
      if (next === winRef.current) return;
      winRef.current = next;
      setWin(next);
    };
    check(store.getState());
    return store.subscribe(check);
  }, [big, store]);

  const content = useMemo(() => (big && !low && win ? windowContent(nodes, edges, win) : null), [big, low, win, nodes, edges]);

  // Admission: nodes newly on screen reach React Flow at most MOUNT_PER_FRAME per animation frame.
  const [admitted, setAdmitted] = useState<ReadonlySet<string>>(NONE);
  useEffect(() => {
    if (!content) {
      if (admitted.size) setAdmitted(NONE);
      return;
    }
    const s = store.getState();
    const next = admit(content, admitted, viewRect(s.transform, s.width, s.height));
    if (next === admitted) return;
    const frame = requestAnimationFrame(() => setAdmitted(next));
    return () => cancelAnimationFrame(frame);
  }, [content, admitted, store]);

  const windowed = useMemo(() => {
    if (!content) return null;
    const shown = nodes.filter((n) => admitted.has(n.id));
    const shownEdges = content.edges.filter((e) => admitted.has(e.source) && admitted.has(e.target));
    const waiting = content.inside.filter((n) => !admitted.has(n.id));
    return { nodes: shown, edges: shownEdges, waiting };
  }, [content, admitted, nodes]);

  const onPaneClick = useCallback(
    (e: { clientX: number; clientY: number }) => {
      const p = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const id = nodeAt(nodes, p.x, p.y, rf.getZoom());
      if (id) onSelect(id);
    },
    [rf, nodes, onSelect],
  );
  const fit = useCallback((options?: FitNodesOptions) => fitNodes(rf, store.getState(), nodes, options), [rf, store, nodes]);
  const fitAll = useCallback(() => void fit({ padding: 0.1 }), [fit]);

  return useMemo((): BigGraph => {
    if (!big) return { big, low, ready, layer: null, mounting: 0, flowProps: { nodes, edges, onlyRenderVisibleElements: false }, controlsProps: {}, fit };
    if (low) return { big, low, ready, layer: { nodes, edges }, mounting: 0, flowProps: { nodes: NO_NODES, edges: NO_EDGES, onlyRenderVisibleElements: true, onPaneClick }, controlsProps: { onFitAll: fitAll }, fit };
    const waiting = windowed?.waiting ?? NO_NODES;
    return {
      big,
      low,
      ready,
      layer: waiting.length ? { nodes: waiting, edges: NO_EDGES } : null,
      mounting: windowed ? waiting.length : 1,
      flowProps: { nodes: windowed?.nodes ?? NO_NODES, edges: windowed?.edges ?? NO_EDGES, onlyRenderVisibleElements: true },
      controlsProps: { onFitAll: fitAll },
      fit,
    };
  }, [big, low, ready, nodes, edges, windowed, onPaneClick, fitAll, fit]);
}
