/** The inspector's Routing tab: the node's outgoing connectors in document order and its incoming fan-in. */
import type { FlowchartNode } from '@llmctl/contracts';
import { incomingEdges, outgoingEdges } from '../../core/graph-ops.ts';
import { Empty, Section } from '../../ui/common.tsx';
import { ConnectorCard } from './connector-card.tsx';
import { FanInEditor } from './fan-in-editor.tsx';
import { useEditor } from './editor-context.ts';

/** Routing tab for one node. */
export function RoutingTab({ node }: { node: FlowchartNode }) {
  const { graph } = useEditor();
  const out = outgoingEdges(graph, node.id);
  const inc = incomingEdges(graph, node.id);
  const cfg = node.config ?? {};
  return (
    <div className="routing-tab" data-testid="routing-tab">
      {node.type === 'decision' && (
        <div className="muted small routing-rule">
          {cfg.mode === 'llm_guided'
            ? `llm_guided: the model picks a route_key${cfg.match === 'all' ? 's (match all)' : ''}; conditions are ignored.`
            : `deterministic, match ${cfg.match === 'all' ? 'all: every true connector' : 'first: the first true connector in this order'}; no match → the fallback connector, else decision_no_match.`}
        </div>
      )}
      {node.type !== 'decision' && out.length > 0 && <div className="muted small routing-rule">Every trigger connector whose condition is absent or true is taken.</div>}
      <Section title={`Outgoing connectors (${out.length})`}>
        {out.length === 0 ? <Empty>No outgoing connectors — this node is terminal.</Empty> : out.map((e) => <ConnectorCard key={e.id} edge={e.data.edge} />)}
      </Section>
      <Section title={`Incoming (${inc.length})`}>
        {inc.length > 0 && (
          <ul className="plain small">
            {inc.map((e) => (
              <li key={e.id}>
                <code>{e.id}</code> from <b>{e.source}</b> <span className="muted">{e.data.edge.mode === 'context' ? 'context' : 'trigger'}</span>
              </li>
            ))}
          </ul>
        )}
        <FanInEditor node={node} />
      </Section>
    </div>
  );
}
