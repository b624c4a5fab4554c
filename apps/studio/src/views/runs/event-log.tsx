/** The run's logged events, newest first: each row expands to its payload; a node filter keeps one node's events. */
import { useState } from 'react';
import type { EventEnvelope } from '@llmctl/contracts';
import { formatTime } from '../../core/format.ts';
import { Empty, JsonView } from '../../ui/common.tsx';

/** The node an event is about (node events carry `node_id` in their payload or on the node run). */
export function eventNodeId(e: EventEnvelope): string | null {
  const p = (e.payload ?? {}) as { node_id?: unknown; node_run?: { node_id?: unknown } };
  if (typeof p.node_id === 'string') return p.node_id;
  if (typeof p.node_run?.node_id === 'string') return p.node_run.node_id;
  return null;
}

/** Expandable, node-filterable event log. */
export function EventLog({ events }: { events: readonly EventEnvelope[] }) {
  const [node, setNode] = useState('');
  const nodes = [...new Set(events.map(eventNodeId).filter((x): x is string => x !== null))].sort();
  const shown = events.filter((e) => !node || eventNodeId(e) === node).slice(-200).reverse();
  return (
    <div data-testid="event-panel">
      <label className="inline small">
        node
        <select value={node} onChange={(e) => setNode(e.target.value)} data-testid="event-node-filter">
          <option value="">all nodes</option>
          {nodes.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      {shown.length === 0 ? (
        <Empty>No events{node ? ` of node ${node}` : ' yet'}.</Empty>
      ) : (
        <ol className="event-log" data-testid="event-log">
          {shown.map((e) => (
            <li key={e.event_id ?? `${e.sequence}`} data-testid="event-row" data-event-type={e.event_type} data-node-id={eventNodeId(e) ?? ''}>
              <details>
                <summary>
                  <span className="muted">#{e.sequence}</span> <code>{e.event_type}</code>
                  {eventNodeId(e) && <span className="muted small"> {eventNodeId(e)}</span>}{' '}
                  <span className="muted small">{formatTime(e.emitted_at ?? (e as { created_at?: string }).created_at)}</span>
                </summary>
                <JsonView value={e.payload} testid="event-payload" />
              </details>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
