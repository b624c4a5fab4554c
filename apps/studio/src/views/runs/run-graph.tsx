/** Read-only run graph: nodes coloured by live node-run state, taken connectors highlighted. */
import { useCallback, useMemo, useState } from 'react';
import { Background, BackgroundVariant, Controls, MarkerType, MiniMap, ReactFlow, type NodeChange } from '@xyflow/react';
import type { FlowchartDocument, NodeRun } from '@llmctl/contracts';
import { documentToGraph } from '../../core/document-graph.ts';
import { summarizeNodeRuns, takenConnectorIds, type NodeDisplayState } from '../../core/run-state.ts';
import { edgeTypes, nodeTypes } from '../graph/registry.ts';
import type { FlowEdge, FlowNode } from '../graph/graph-types.ts';
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

  const nodes: FlowNode[] = useMemo(
    () =>
      base.nodes.map((n) => {
        const s = summary.get(n.id);
        return {
          id: n.id,
          type: n.type,
          position: n.position,
          selected: selectedNodeRun?.node_id === n.id,
          draggable: false,
          connectable: false,
          ...(sizes[n.id] ? { measured: sizes[n.id] } : {}),
          data: {
            node: n.data.node,
            run: s ? runData(s.state, s.count, s.state === 'running' ? tokens[s.latest.id] : undefined) : { state: finished ? 'not_taken' : 'idle', count: 0 },
          },
        };
      }),
    [base, summary, selectedNodeRun, tokens, sizes, finished],
  );

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

  return (
    <div className="canvas run-canvas" data-testid="run-graph">
      <ReactFlow<FlowNode, FlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable
        onNodeClick={(_, n) => onSelectNode(n.id)}
        deleteKeyCode={null}
        fitView
        fitViewOptions={{ padding: 0.2, maxZoom: 1.2 }}
        minZoom={0.1}
        colorMode={theme}
        proOptions={{ hideAttribution: true }}
      >
        <Background variant={BackgroundVariant.Dots} gap={16} size={1} color="#243041" />
        <MiniMap pannable zoomable nodeColor={(n) => STATE_COLORS[(n.data as FlowNode['data']).run?.state ?? 'idle'] ?? '#334155'} maskColor="rgba(8,11,15,0.7)" />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
