/** The editable React Flow canvas: controlled by the editor reducer, nodes decorated with validation problems. */
import { useCallback, useMemo, type DragEvent } from 'react';
import {
  Background,
  BackgroundVariant,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
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
import { PALETTE_MIME } from './palette.tsx';
import { useEditor } from './editor-context.ts';

/** Props of {@link EditorCanvas}. */
export interface EditorCanvasProps {
  selectedNodes: string[];
  selectedEdges: string[];
}

/** The canvas. Must be rendered inside a ReactFlowProvider. */
export function EditorCanvas({ selectedNodes, selectedEdges }: EditorCanvasProps) {
  const { graph, dispatch, issues } = useEditor();
  const { screenToFlowPosition } = useReactFlow();

  const toggleMode = useCallback(
    (edgeId: string) => {
      const e = graph.edges.find((x) => x.id === edgeId);
      if (!e) return;
      dispatch({ type: 'updateEdge', id: edgeId, patch: { mode: e.data.edge.mode === 'context' ? 'trigger' : 'context' } });
    },
    [graph.edges, dispatch],
  );

  const selN = useMemo(() => new Set(selectedNodes), [selectedNodes]);
  const selE = useMemo(() => new Set(selectedEdges), [selectedEdges]);

  const nodes: FlowNode[] = useMemo(
    () =>
      graph.nodes.map((n) => {
        const iss = issues.byNode.get(n.id);
        const fn: FlowNode = { id: n.id, type: n.type, position: n.position, data: iss ? { node: n.data.node, issues: iss } : { node: n.data.node }, selected: selN.has(n.id) };
        if (n.measured) fn.measured = n.measured;
        return fn;
      }),
    [graph.nodes, issues, selN],
  );

  const edges: FlowEdge[] = useMemo(
    () =>
      graph.edges.map((e) => {
        const iss = issues.byEdge.get(e.id);
        const fe: FlowEdge = {
          id: e.id,
          source: e.source,
          target: e.target,
          type: 'llmctl',
          selected: selE.has(e.id),
          markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16, color: iss ? '#ef4444' : '#64748b' },
          data: { edge: e.data.edge, onToggleMode: toggleMode, ...(iss ? { issues: iss } : {}) },
        };
        return fe;
      }),
    [graph.edges, issues, selE, toggleMode],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      const moves: [string, XY][] = [];
      let dragging = false;
      const sizes: [string, { width: number; height: number }][] = [];
      const sel: { id: string; selected: boolean }[] = [];
      for (const c of changes) {
        if (c.type === 'position' && c.position) {
          moves.push([c.id, c.position]);
          dragging = dragging || !!c.dragging;
        } else if (c.type === 'position' && c.dragging === false) {
          dragging = false;
        } else if (c.type === 'dimensions' && c.dimensions) sizes.push([c.id, c.dimensions]);
        else if (c.type === 'select') sel.push({ id: c.id, selected: c.selected });
      }
      if (sizes.length) dispatch({ type: 'measure', sizes });
      if (moves.length) dispatch({ type: 'move', positions: moves, dragging });
      else if (changes.some((c) => c.type === 'position' && c.dragging === false)) dispatch({ type: 'move', positions: [], dragging: false });
      if (sel.length) dispatch({ type: 'selectChanges', nodes: sel, edges: [] });
    },
    [dispatch],
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
    <div className="canvas" data-testid="canvas" onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'move'; }} onDrop={onDrop}>
      <ReactFlow<FlowNode, FlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Meta', 'Control']}
        fitView
        fitViewOptions={{ padding: 0.2, maxZoom: 1.2 }}
        minZoom={0.1}
        maxZoom={2.5}
        colorMode="dark"
        proOptions={{ hideAttribution: true }}
      >
        <Background variant={BackgroundVariant.Dots} gap={16} size={1} color="#243041" />
        <MiniMap pannable zoomable nodeColor={(n) => nodeKind(String(n.type)).color} maskColor="rgba(8,11,15,0.7)" data-testid="minimap" />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
