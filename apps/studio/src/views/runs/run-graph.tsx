/**
 * Read-only run graph: nodes coloured by live node-run state, taken connectors highlighted. A big graph is culled to
 * the viewport and drawn by the low-detail layer when zoomed out, as in the editor (../graph/big-graph.ts).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Background, BackgroundVariant, MarkerType, MiniMap, ReactFlow, type NodeChange } from '@xyflow/react';
import type { FlowchartDocument, NodeRun } from '@llmctl/contracts';
import { documentToGraph } from '../../core/document-graph.ts';
import { summarizeNodeRuns, takenConnectorIds, type NodeDisplayState } from '../../core/run-state.ts';
import { edgeTypes, nodeTypes } from '../graph/registry.ts';
import type { FlowEdge, FlowNode } from '../graph/graph-types.ts';
import { useBigGraph, isBigGraph } from '../graph/big-graph.ts';
import { LowDetailLayer } from '../graph/low-detail-layer.tsx';
import { GraphControls } from '../graph/graph-controls.tsx';
import { CanvasMiniMap } from '../graph/canvas-minimap.tsx';
import { estimateHandles, estimateNodeSize } from '../graph/node-size.ts';
import { useTheme } from '../../ui/theme.ts';

const STATE_COLORS: Record<string, string> = {
  idle: '#334155',
  not_taken: '#334155',
  queued: '#64748b',
  running: '#3b82f6',
  succeeded: '#22c55e',
  success_with_warning: '#f59e0b',
  failed: '#ef4444',
  skipped: '#a78bfa',
  canceled: '#6b7280',
  superseded: '#475569',
};

/** A node's colour for its run state (minimaps and the low-detail layer). */
const stateColor = (n: FlowNode): string => STATE_COLORS[n.data.run?.state ?? 'idle'] ?? '#334155';

function runData(state: NodeDisplayState, count: number, text: string | undefined): NonNullable<FlowNode['data']['run']> {
  if (text === undefined) return { state, count };
  const tail = text.replace(/\s+/g, ' ').trim();
  return { state, count, streaming: true, preview: tail.length > 70 ? `…${tail.slice(-70)}` : tail };
}

/** Props of {@link RunGraph}. */
export interface RunGraphProps {
  document: FlowchartDocument;
  nodeRuns: NodeRun[];
  selectedNodeRun: NodeRun | null;
  /** Streamed text per node run id (token events). */
  tokens: Record<string, string>;
  onSelectNode: (nodeId: string) => void;
  /** The run is finished: nodes that never ran show "not taken" instead of idle. */
  finished?: boolean;
}

/** The run graph (render inside a ReactFlowProvider). */
export function RunGraph({ document, nodeRuns, selectedNodeRun, tokens, onSelectNode, finished = false }: RunGraphProps) {
  const theme = useTheme();
  const base = useMemo(() => documentToGraph(document), [document]);
  const summary = useMemo(() => summarizeNodeRuns(nodeRuns), [nodeRuns]);
  const taken = useMemo(() => takenConnectorIds(nodeRuns), [nodeRuns]);
  // Measured sizes must travel with the nodes we pass in, or the canvas treats them as unmeasured (minimap, fitView).
  const [sizes, setSizes] = useState<Record<string, { width: number; height: number }>>({});
  const onNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => {
    const dims = changes.flatMap((c) => (c.type === 'dimensions' && c.dimensions ? [[c.id, c.dimensions] as const] : []));
    if (dims.length) setSizes((prev) => ({ ...prev, ...Object.fromEntries(dims) }));
  }, []);
  const selectedMatched = useMemo(() => new Set(selectedNodeRun?.routing?.matched_connector_ids ?? []), [selectedNodeRun]);

  // Node objects are reused while a node's inputs are unchanged: React Flow re-renders only the nodes whose object
  // changed, so a live event no longer rebuilds every node of a big graph.
  const big = isBigGraph(base.nodes.length);
  const built = useRef(new Map<string, { key: unknown[]; out: FlowNode }>());
  const nodes: FlowNode[] = useMemo(() => {
    const prev = built.current;
    const next = new Map<string, { key: unknown[]; out: FlowNode }>();
    const out = base.nodes.map((n) => {
      const s = summary.get(n.id);
      const run = s ? runData(s.state, s.count, s.state === 'running' ? tokens[s.latest.id] : undefined) : { state: finished ? 'not_taken' as const : 'idle' as const, count: 0 };
      const selected = selectedNodeRun?.node_id === n.id;
      const size = sizes[n.id];
      const key = [n, run.state, run.count, run.preview, selected, size, big];
      const old = prev.get(n.id);
      if (old && old.key.every((v, i) => v === key[i])) {
        next.set(n.id, old);
        return old.out;
      }
      const fn: FlowNode = { id: n.id, type: n.type, position: n.position, selected, draggable: false, connectable: false, data: { node: n.data.node, run } };
      if (size) fn.measured = size;
      else if (big) {
        // Culling needs a size for nodes never rendered (see ../graph/node-size.ts).
        const est = estimateNodeSize(n.id, n.data.node);
        fn.measured = est;
        fn.handles = estimateHandles(n.type, est);
      }
      next.set(n.id, { key, out: fn });
      return fn;
    });
    built.current = next;
    return out;
  }, [base, summary, selectedNodeRun, tokens, sizes, finished, big]);

  const edges: FlowEdge[] = useMemo(
    () =>
      base.edges.map((e) => {
        const hl = selectedMatched.has(e.id) ? 'selected' : taken.has(e.id) ? 'taken' : undefined;
        const color = hl === 'selected' ? '#22c55e' : hl === 'taken' ? '#4ade80' : '#64748b';
        return {
          id: e.id,
          source: e.source,
          target: e.target,
          type: 'llmctl',
          selectable: false,
          animated: hl === 'selected',
          markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16, color },
          data: hl ? { edge: e.data.edge, highlight: hl } : { edge: e.data.edge },
        };
      }),
    [base, taken, selectedMatched],
  );

  const { low, ready, layer, mounting, flowProps, controlsProps, fit } = useBigGraph(nodes, edges, onSelectNode);
  // A big graph opens fitted to every node (React Flow's own fitView would fit only the window it holds).
  const fitted = useRef(false);
  useEffect(() => {
    if (big && ready && !fitted.current) fitted.current = fit({ padding: 0.2, maxZoom: 1.2 });
  }, [big, ready, fit]);

  return (
    <div className={low ? 'canvas run-canvas lod-low' : 'canvas run-canvas'} data-testid="run-graph" data-culled={big ? 'true' : undefined} data-mounting={mounting || undefined}>
      <ReactFlow<FlowNode, FlowEdge>
        {...flowProps}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable
        onNodeClick={(_, n) => onSelectNode(n.id)}
        deleteKeyCode={null}
        fitView={!big}
        fitViewOptions={{ padding: 0.2, maxZoom: 1.2 }}
        minZoom={0.1}
        colorMode={theme}
        proOptions={{ hideAttribution: true }}
      >
        {!low && <Background variant={BackgroundVariant.Dots} gap={16} size={1} color="#243041" />}
        {layer && <LowDetailLayer nodes={layer.nodes} edges={layer.edges} fill={stateColor} />}
        {big ? <CanvasMiniMap nodes={nodes} width={200} height={150} color={stateColor} /> : <MiniMap pannable zoomable nodeColor={(n) => stateColor(n as FlowNode)} maskColor="rgba(8,11,15,0.7)" />}
        <GraphControls {...controlsProps} />
      </ReactFlow>
    </div>
  );
}
