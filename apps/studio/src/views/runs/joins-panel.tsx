/**
 * Waiting joins of a run, live: for each join node that holds tokens, which incoming connectors delivered (and from
 * which node) and which it still waits for; and the tokens joins discarded. From the studio's fold of the run's
 * `token.enqueued` / `node.queued` / `join.discarded` events (core/join-state.ts).
 */
import type { FlowchartDocument } from '@llmctl/contracts';
import { heldCount, type JoinViews } from '../../core/join-state.ts';

function policyText(p: FlowchartDocument['nodes'][number]['fan_in']): string {
  if (!p) return 'inclusive (default): waits for every connector that can still deliver';
  if (p.policy === 'count') return `count ${p.count}: fires when ${p.count} connectors delivered`;
  if (p.policy === 'all') return 'all: waits for every connector';
  if (p.policy === 'any') return 'any: fires on the first token';
  return 'inclusive: waits for every connector that can still deliver';
}

/** Renders nothing while no join holds or discarded tokens. */
export function JoinsPanel({ document, joins, finished }: { document: FlowchartDocument | undefined; joins: JoinViews; finished: boolean }) {
  const entries = Object.entries(joins).filter(([, j]) => heldCount(j) > 0 || j.discarded.length > 0);
  if (entries.length === 0) return null;
  const name = (id: string | null) => (id ? (document?.nodes.find((n) => n.id === id)?.name ?? id) : '—');
  return (
    <div className="joins-panel" data-testid="joins-panel">
      {entries.map(([nodeId, j]) => {
        const node = document?.nodes.find((n) => n.id === nodeId);
        const incoming = (document?.edges ?? []).filter((e) => e.target === nodeId && e.mode !== 'context');
        const ids = [...new Set([...incoming.map((e) => e.id), ...Object.keys(j.queues)])];
        const held = heldCount(j);
        return (
          <div key={nodeId} className="join-card" data-testid={`join-${nodeId}`} data-held={held} data-discarded={j.discarded.length}>
            <div>
              <strong>{name(nodeId)}</strong>{' '}
              <span className="muted small">{held > 0 ? `${finished ? 'held' : 'waiting'} — ${held} token(s) held` : 'not waiting'} · {policyText(node?.fan_in)}</span>
            </div>
            {held > 0 && (
              <table className="table compact">
                <tbody>
                  {ids.map((c) => {
                    const q = j.queues[c] ?? [];
                    const edge = incoming.find((e) => e.id === c);
                    return (
                      <tr key={c} data-testid={`join-connector-${nodeId}-${c}`} data-state={q.length ? 'delivered' : 'waiting'}>
                        <td className="mono small">{c}</td>
                        <td className="muted small">from {name(edge?.source ?? q[0]?.source_node_id ?? null)}</td>
                        <td className={q.length ? 'ok-text' : 'warn-text'}>{q.length ? `delivered (${q.length} held)` : 'waiting'}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
            {j.discarded.length > 0 && (
              <div className="small" data-testid={`join-discarded-${nodeId}`}>
                <span className="muted">discarded:</span>{' '}
                {j.discarded.map((t, i) => (
                  <span key={i} className="badge" title={t.reason === 'run_finished' ? 'left over when the run finished' : 'discarded by the join'}>
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
