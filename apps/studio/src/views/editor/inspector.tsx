/** The editor's right panel: node (Node / Routing tabs), connector, multi-selection or flowchart settings. */
import { useState } from 'react';
import { Tabs } from '../../ui/common.tsx';
import { useEditor } from './editor-context.ts';
import { NodeForm } from './node-form.tsx';
import { RoutingTab } from './routing-tab.tsx';
import { ConnectorCard } from './connector-card.tsx';
import { FlowchartSettingsForm } from './flowchart-settings.tsx';
import { NodeTestPanel } from './node-test-panel.tsx';
import { TESTABLE_TYPES } from '../../core/node-test.ts';

/** Props of {@link Inspector}. */
export interface InspectorProps {
  selectedNodes: string[];
  selectedEdges: string[];
  /** Changes on undo/redo so uncontrolled text fields re-read the graph. */
  revision: number;
}

/** The inspector panel. */
export function Inspector({ selectedNodes, selectedEdges, revision }: InspectorProps) {
  const { graph, dispatch } = useEditor();
  const [tab, setTab] = useState<'node' | 'routing' | 'test'>('node');
  const node = selectedNodes.length === 1 && selectedEdges.length === 0 ? graph.nodes.find((n) => n.id === selectedNodes[0]) : undefined;
  const edge = selectedEdges.length === 1 && selectedNodes.length === 0 ? graph.edges.find((e) => e.id === selectedEdges[0]) : undefined;
  let body;
  if (node) {
    const testable = TESTABLE_TYPES.includes(node.data.node.type);
    const active = tab === 'test' && !testable ? 'node' : tab;
    body = (
      <>
        <Tabs
          tabs={[
            { id: 'node', label: 'Node' },
            { id: 'routing', label: 'Routing' },
            ...(testable ? [{ id: 'test' as const, label: 'Test' }] : []),
          ]}
          active={active}
          onChange={setTab}
          testid="inspector-tabs"
        />
        <div className="inspector-body" key={`${node.id}:${revision}`}>
          {active === 'node' ? <NodeForm node={node.data.node} /> : active === 'routing' ? <RoutingTab node={node.data.node} /> : <NodeTestPanel node={node.data.node} />}
        </div>
      </>
    );
  } else if (edge) {
    body = (
      <div className="inspector-body" key={`${edge.id}:${revision}`}>
        <div className="panel-subtitle">Connector</div>
        <ConnectorCard edge={edge.data.edge} showSource />
        <button className="btn danger small" onClick={() => dispatch({ type: 'deleteSelection' })} data-testid="delete-connector">
          Delete connector
        </button>
      </div>
    );
  } else if (selectedNodes.length + selectedEdges.length > 1) {
    body = (
      <div className="inspector-body">
        <p>
          {selectedNodes.length} nodes and {selectedEdges.length} connectors selected.
        </p>
        <button className="btn danger small" onClick={() => dispatch({ type: 'deleteSelection' })}>
          Delete selection
        </button>
      </div>
    );
  } else {
    body = (
      <div className="inspector-body" key={`meta:${revision}`}>
        <FlowchartSettingsForm />
      </div>
    );
  }
  return (
    <aside className="inspector" data-testid="inspector">
      <div className="panel-title">Inspector</div>
      {body}
    </aside>
  );
}
