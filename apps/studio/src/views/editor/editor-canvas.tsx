/** The editable React Flow canvas: controlled by the editor reducer, nodes decorated with validation problems. */
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import {
  Background,
  BackgroundVariant,
  MiniMap,
  ReactFlow,
  useNodesInitialized,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import type { NodeType } from '@llmctl/contracts';
import type { XY } from '../../core/types.ts';
import { NODE_KINDS, nodeKind } from '../../core/node-catalog.ts';
import { edgeTypes, nodeTypes } from '../graph/registry.ts';
import type { FlowEdge, FlowNode } from '../graph/graph-types.ts';
import { FlowElementCache } from '../graph/flow-elements.ts';
import { CanvasMiniMap } from '../graph/canvas-minimap.tsx';
import { LowDetailLayer } from '../graph/low-detail-layer.tsx';
import { GraphControls } from '../graph/graph-controls.tsx';
import type { NodeSize } from '../graph/node-size.ts';
import { isBigGraph, useBigGraph } from '../graph/big-graph.ts';
import { PALETTE_MIME } from './palette.tsx';
import { useEditor } from './editor-context.ts';
import { readableFit } from './readable-fit.ts';
import { useTheme } from '../../ui/theme.ts';

const MINIMAP_KEY = 'llmctl.minimap';
/** Big graphs: measured sizes reach the editor graph in one batch once the canvas has been quiet this long. */
const MEASURE_FLUSH_MS = 1000;

/** Whether the minimap is shown (remembered in localStorage; collapsed by default on small windows). */
function useMinimapOpen(): [boolean, (open: boolean) => void] {
  const [open, setOpen] = useState<boolean>(() => {
    try {
      const v = localStorage.getItem(MINIMAP_KEY);
      if (v !== null) return v === 'open';
    } catch {
      /* no storage */
    }
    return window.innerHeight > 640;
  });
  const set = useCallback((o: boolean) => {
    setOpen(o);
    try {
      localStorage.setItem(MINIMAP_KEY, o ? 'open' : 'closed');
    } catch {
      /* no storage */
    }
  }, []);
  return [open, set];
}

/** Props of {@link EditorCanvas}. */
export interface EditorCanvasProps {
  selectedNodes: string[];
  selectedEdges: string[];
}

/** The canvas. Must be rendered inside a ReactFlowProvider. */
export function EditorCanvas({ selectedNodes, selectedEdges }: EditorCanvasProps) {
  const { graph, dispatch, issues } = useEditor();
  const rf = useReactFlow();
  const theme = useTheme();
  const { screenToFlowPosition } = rf;
  const canvasRef = useRef<HTMLDivElement>(null);
  const initialized = useNodesInitialized();
  const [minimap, setMinimap] = useMinimapOpen();

  const selectEdge = useCallback((edgeId: string) => dispatch({ type: 'select', nodes: [], edges: [edgeId] }), [dispatch]);

  const selN = useMemo(() => new Set(selectedNodes), [selectedNodes]);
  const selE = useMemo(() => new Set(selectedEdges), [selectedEdges]);

  // Big graphs render only what intersects the viewport (React Flow's culling), with estimated sizes for the nodes
  // never rendered yet, and drop detail at low zoom (see ../graph/big-graph.ts).
  const big = isBigGraph(graph.nodes.length);
  const cache = useRef<FlowElementCache | null>(null);
  cache.current ??= new FlowElementCache();
  // Sizes the canvas measured that the graph does not hold yet (big graphs batch them, see flushSizes).
  const sizes = useRef(new Map<string, NodeSize>());
  const flushTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const flushSizes = useCallback(() => {
    flushTimer.current = null;
    if (sizes.current.size === 0) return;
    const batch = [...sizes.current];
    sizes.current = new Map();
    dispatch({ type: 'measure', sizes: batch });
  }, [dispatch]);
  useEffect(() => () => {
    if (flushTimer.current) clearTimeout(flushTimer.current);
  }, []);

  const nodes: FlowNode[] = useMemo(
    () => cache.current!.nodes({ nodes: graph.nodes, issuesByNode: issues.byNode, selected: selN, sizes: sizes.current, estimate: big, hidden: false }),
    [graph.nodes, issues, selN, big],
  );

  const edges: FlowEdge[] = useMemo(() => cache.current!.edges(graph.edges, issues.byEdge, selE, selectEdge), [graph.edges, issues, selE, selectEdge]);

  // At low detail the nodes are drawn by the layer, so a click on the pane selects the node under it.
  const selectNode = useCallback((id: string) => dispatch({ type: 'select', nodes: [id], edges: [] }), [dispatch]);
  const { low, ready, layer, mounting, flowProps, controlsProps } = useBigGraph(nodes, edges, selectNode);

  // Fit once the nodes are measured (a big graph: once the pane has a size, its nodes carry estimated sizes and React
  // Flow holds only a window of them), and again whenever the canvas changes size (window resize, panels).
  const fitted = useRef(false);
  const allNodes = useRef<FlowNode[] | undefined>(undefined);
  allNodes.current = big ? nodes : undefined;
  useEffect(() => {
    if (fitted.current || !(big ? ready : initialized)) return;
    fitted.current = true;
    readableFit(rf, canvasRef.current, allNodes.current);
  }, [initialized, ready, big, rf]);
  useEffect(() => {
    const el = canvasRef.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    let last = '';
    const ro = new ResizeObserver(() => {
      const r = el.getBoundingClientRect();
      const size = `${Math.round(r.width)}x${Math.round(r.height)}`;
      if (size === last) return;
      const first = last === '';
      last = size;
      if (!first && fitted.current) readableFit(rf, el, allNodes.current);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [rf]);

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      const moves: [string, XY][] = [];
      let dragging = false;
      const measured: [string, { width: number; height: number }][] = [];
      const sel: { id: string; selected: boolean }[] = [];
      for (const c of changes) {
        if (c.type === 'position' && c.position) {
          moves.push([c.id, c.position]);
          dragging = dragging || !!c.dragging;
        } else if (c.type === 'position' && c.dragging === false) {
          dragging = false;
        } else if (c.type === 'dimensions' && c.dimensions) measured.push([c.id, c.dimensions]);
        else if (c.type === 'select') sel.push({ id: c.id, selected: c.selected });
      }
      if (measured.length) {
        // Small graphs record sizes at once. Big ones keep them here (the nodes built from the graph carry them) and
        // hand them to the graph in one batch when panning pauses: each graph change rebuilds the whole document.
        for (const [id, d] of measured) sizes.current.set(id, d);
        if (!big) flushSizes();
        else {
          if (flushTimer.current) clearTimeout(flushTimer.current);
          flushTimer.current = setTimeout(flushSizes, MEASURE_FLUSH_MS);
        }
      }
      if (moves.length) dispatch({ type: 'move', positions: moves, dragging });
      else if (changes.some((c) => c.type === 'position' && c.dragging === false)) dispatch({ type: 'move', positions: [], dragging: false });
      if (sel.length) dispatch({ type: 'selectChanges', nodes: sel, edges: [] });
    },
    [dispatch, big, flushSizes],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<FlowEdge>[]) => {
      const sel = changes.flatMap((c) => (c.type === 'select' ? [{ id: c.id, selected: c.selected }] : []));
      if (sel.length) dispatch({ type: 'selectChanges', nodes: [], edges: sel });
    },
    [dispatch],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      if (c.source && c.target) dispatch({ type: 'connect', source: c.source, target: c.target });
    },
    [dispatch],
  );

  const onDrop = useCallback(
    (e: DragEvent) => {
      e.preventDefault();
      const type = e.dataTransfer.getData(PALETTE_MIME) || e.dataTransfer.getData('text/plain');
      if (!NODE_KINDS.some((k) => k.type === type)) return;
      const p = screenToFlowPosition({ x: e.clientX, y: e.clientY });
      dispatch({ type: 'addNode', nodeType: type as NodeType, position: { x: Math.round(p.x - 80), y: Math.round(p.y - 25) } });
    },
    [dispatch, screenToFlowPosition],
  );

  return (
    <div className={low ? 'canvas lod-low' : 'canvas'} data-testid="canvas" data-culled={big ? 'true' : undefined} data-mounting={mounting || undefined} ref={canvasRef} onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'move'; }} onDrop={onDrop}>
      <ReactFlow<FlowNode, FlowEdge>
        {...flowProps}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Meta', 'Control']}
        minZoom={0.1}
        maxZoom={2.5}
        colorMode={theme}
        proOptions={{ hideAttribution: true }}
      >
        {!low && <Background variant={BackgroundVariant.Dots} gap={16} size={1} color="#243041" />}
        {layer && <LowDetailLayer nodes={layer.nodes} edges={layer.edges} />}
        {minimap && big && <CanvasMiniMap nodes={nodes} width={150} height={96} />}
        {minimap && !big && <MiniMap pannable zoomable nodeColor={(n) => nodeKind(String(n.type)).color} maskColor="var(--minimap-mask)" style={{ width: 150, height: 96 }} data-testid="minimap" />}
        <GraphControls {...controlsProps} />
        <button
          type="button"
          className="minimap-toggle"
          onClick={() => setMinimap(!minimap)}
          aria-pressed={minimap}
          title={minimap ? 'Hide the minimap' : 'Show the minimap'}
          data-testid="minimap-toggle"
        >
          {minimap ? 'map ▾' : 'map ▸'}
        </button>
      </ReactFlow>
    </div>
  );
}
