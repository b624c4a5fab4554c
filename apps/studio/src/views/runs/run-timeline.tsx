/**
 * Timeline of node runs in creation order, with attempt bars on a shared time axis. A long one (a big run) renders only
 * the rows scrolled into view (use-row-window.ts).
 */
import { useRef } from 'react';
import type { NodeRun, Run } from '@llmctl/contracts';
import { formatDuration, formatTime } from '../../core/format.ts';
import { nodeRunDisplayState } from '../../core/run-state.ts';
import { Empty, StatusBadge } from '../../ui/common.tsx';
import { useRowWindow } from './use-row-window.ts';

/** Props of {@link RunTimeline}. */
export interface RunTimelineProps {
  run: Run;
  nodeRuns: NodeRun[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  now: number;
}

function ms(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : null;
}

/** The timeline table. */
export function RunTimeline({ run, nodeRuns, selectedId, onSelect, now }: RunTimelineProps) {
  const table = useRef<HTMLTableElement>(null);
  const win = useRowWindow(nodeRuns.length, table);
  if (nodeRuns.length === 0) return <Empty>No node runs yet.</Empty>;
  const t0 = ms(run.started_at) ?? ms(run.created_at) ?? now;
  const ends = nodeRuns.map((n) => ms(n.finished_at) ?? (n.started_at ? now : null)).filter((x): x is number => x !== null);
  const t1 = Math.max(ms(run.finished_at) ?? now, ...ends, t0 + 1);
  const span = t1 - t0;
  const pct = (t: number): number => Math.max(0, Math.min(100, ((t - t0) / span) * 100));
  return (
    <table ref={table} className={win.windowed ? 'table timeline windowed' : 'table timeline'} data-testid="run-timeline" data-rows={nodeRuns.length}>
      <thead>
        <tr>
          <th>#</th>
          <th>Node</th>
          <th>Iter</th>
          <th>Status</th>
          <th>Attempts</th>
          <th>Duration</th>
          <th className="bar-col">Timeline</th>
        </tr>
      </thead>
      <tbody>
        {win.from > 0 && <tr className="timeline-spacer" aria-hidden style={{ height: win.from * win.rowPx }} />}
        {nodeRuns.slice(win.from, win.to).map((nr, k) => {
          const i = win.from + k;
          const state = nodeRunDisplayState(nr);
          const attempts = nr.attempts ?? [];
          return (
            <tr key={nr.id} className={`clickable${nr.id === selectedId ? ' selected' : ''}${nr.status === 'superseded' ? ' superseded' : ''}`} onClick={() => onSelect(nr.id)} data-testid={`node-run-${nr.id}`} data-node-id={nr.node_id} data-status={nr.status} data-row={i}>
              <td className="muted">{i + 1}</td>
              <td>
                <b>{nr.node_id}</b> <span className="muted small">{nr.node_type}</span>
                {nr.retry_of && <span className="marker" title={`retry of ${nr.retry_of}`}> ↺retry</span>}
                {nr.rewound_from && <span className="marker" title={`rewound from ${nr.rewound_from}`}> ⟲rewind</span>}
                {nr.fallback_used && <span className="marker warn" title={nr.degraded_reason ?? 'fallback used'} data-testid={`degraded-${nr.id}`}> ⚠degraded</span>}
                {nr.warnings?.length > 0 && <span className="marker warn" title={nr.warnings.map((w) => `${w.code}: ${w.message}`).join('\n')}> {nr.warnings.length}w</span>}
              </td>
              <td>{nr.iteration}</td>
              <td>
                <StatusBadge status={state} testid={`node-run-status-${nr.id}`} />
              </td>
              <td title={attempts.map((a) => `#${a.n} ${formatTime(a.started_at)} ${a.error ? `${a.error.code}: ${a.error.message}` : ''}`).join('\n')}>
                {attempts.length}
                {attempts.some((a) => a.error) && <span className="muted"> ({attempts.filter((a) => a.error).length} failed)</span>}
              </td>
              <td className="muted">{formatDuration(nr.started_at, nr.finished_at, now)}</td>
              <td className="bar-col">
                <div className="bar-track">
                  {attempts.length > 0
                    ? attempts.map((a) => {
                        const s = ms(a.started_at) ?? t0;
                        const e = ms(a.finished_at) ?? now;
                        return <span key={a.n} className={`bar ${a.error ? 'bar-failed' : `bar-${state}`}`} style={{ left: `${pct(s)}%`, width: `${Math.max(0.6, pct(e) - pct(s))}%` }} title={`attempt ${a.n}${a.error ? ` — ${a.error.code}` : ''}`} />;
                      })
                    : nr.started_at && <span className={`bar bar-${state}`} style={{ left: `${pct(ms(nr.started_at)!)}%`, width: `${Math.max(0.6, pct(ms(nr.finished_at) ?? now) - pct(ms(nr.started_at)!))}%` }} />}
                </div>
              </td>
            </tr>
          );
        })}
        {win.to < nodeRuns.length && <tr className="timeline-spacer" aria-hidden style={{ height: (nodeRuns.length - win.to) * win.rowPx }} />}
      </tbody>
    </table>
  );
}
