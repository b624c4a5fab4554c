/**
 * Waiting joins of a run, live: for each join node that holds tokens, which incoming connectors delivered (and from
 * which node) and which it still waits for; and the tokens joins discarded (a round that closed without firing, or
 * left over when the run finished). From the engine's shared projection of the run's log (`joinViews`, via
 * core/run-state.ts): the studio does not interpret events itself.
 */
import { useMemo } from 'react';
import type { FlowchartDocument, NodeRun } from '@llmctl/contracts';
import type { JoinView } from '@llmctl/engine';

/** Connector rows shown per join; a join with more inputs (e.g. an end node joining hundreds of branches) summarises the rest. */
const MAX_ROWS = 24;

function policyText(p: FlowchartDocument['nodes'][number]['fan_in']): string {
  if (!p) return 'inclusive (default): waits for every connector that can still deliver';
  if (p.policy === 'count') return `count ${p.count}: fires when ${p.count} connectors delivered`;
  if (p.policy === 'all') return 'all: waits for every connector';
  if (p.policy === 'any') return 'any: fires on the first token';
  return 'inclusive: waits for every connector that can still deliver';
}

/** Renders nothing while no join holds or discarded tokens. */
export function JoinsPanel({ document, joins, nodeRuns, finished }: { document: FlowchartDocument | undefined; joins: Record<string, JoinView>; nodeRuns: readonly NodeRun[]; finished: boolean }) {
  const names = useMemo(() => new Map((document?.nodes ?? []).map((n) => [n.id, n])), [document]);
  const incomingOf = useMemo(() => {
    const m = new Map<string, NonNullable<FlowchartDocument['edges']>>();
    for (const e of document?.edges ?? []) if (e.mode !== 'context') m.set(e.target, [...(m.get(e.target) ?? []), e]);
    return m;
  }, [document]);
  const entries = Object.entries(joins).filter(([, j]) => j.held > 0 || j.discarded.length > 0);
  if (entries.length === 0) return null;
  const name = (id: string | null) => (id ? (names.get(id)?.name ?? id) : '—');
  const running = new Set(nodeRuns.filter((n) => n.status === 'queued' || n.status === 'running').map((n) => n.node_id));
  return (
    <div className="joins-panel" data-testid="joins-panel">
      {entries.map(([nodeId, j]) => {
        const node = names.get(nodeId);
        const incoming = incomingOf.get(nodeId) ?? [];
        const edgeById = new Map(incoming.map((e) => [e.id, e]));
        const ids = [...new Set([...incoming.map((e) => e.id), ...Object.keys(j.queues)])];
        const shown = ids.slice(0, MAX_ROWS);
        const rest = ids.slice(MAX_ROWS);
        const restDelivered = rest.filter((c) => (j.queues[c]?.length ?? 0) > 0).length;
        return (
          <div key={nodeId} className="join-card" data-testid={`join-${nodeId}`} data-held={j.held} data-discarded={j.discarded.length}>
            <div>
              <strong>{name(nodeId)}</strong>{' '}
              <span className="muted small">{j.held > 0 ? `${finished ? 'held' : 'waiting'} — ${j.held} token(s) held` : 'not waiting'} · {policyText(node?.fan_in)}</span>
            </div>
            {j.held > 0 && (
              <table className="table compact">
                <tbody>
                  {shown.map((c) => {
                    const q = j.queues[c] ?? [];
                    const edge = edgeById.get(c);
                    const from = edge?.source ?? q[0]?.source_node_id ?? null;
                    const state = q.length ? 'delivered' : 'waiting';
                    return (
                      <tr key={c} data-testid={`join-connector-${nodeId}-${c}`} data-state={state}>
                        <td className="mono small">{c}</td>
                        <td className="muted small">from {name(from)}</td>
                        <td className={q.length ? 'ok-text' : 'warn-text'}>
                          {q.length ? `delivered (${q.length} held)` : from && running.has(from) ? `waiting — ${name(from)} is running` : 'waiting'}
                        </td>
                      </tr>
                    );
                  })}
                  {rest.length > 0 && (
                    <tr data-testid={`join-more-${nodeId}`}>
                      <td colSpan={3} className="muted small">
                        and {rest.length} more connector(s): {restDelivered} delivered, {rest.length - restDelivered} waiting
                      </td>
                    </tr>
                  )}
                </tbody>
              </table>
            )}
            {j.discarded.length > 0 && (
              <div className="small" data-testid={`join-discarded-${nodeId}`}>
                <span className="muted">discarded:</span>{' '}
                {j.discarded.map((t, i) => (
                  <span key={i} className="badge" data-testid={`join-discarded-${nodeId}-${t.connector_id}`} data-reason={t.reason} title={t.reason === 'run_finished' ? 'left over when the run finished' : 'discarded by the join: its round closed without it'}>
                    {t.connector_id} from {name(t.source_node_id)}
                  </span>
                ))}
              </div>
            )}
          </div>
        );
      })}
    </div>
  );
}
