/**
 * `/runs/:id`: live run view — graph coloured by node-run state, timeline, waiting joins, node-run inspector, run
 * controls. What it shows of the run comes from the live fold of the run's log (the engine's shared projection, see
 * core/run-state.ts) merged over the server's run row.
 */
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ReactFlowProvider } from '@xyflow/react';
import type { Run } from '@llmctl/contracts';
import { useArtifacts, useFlowchart, useRun } from '../../api/queries.ts';
import { useRunLive, type RunLive } from './use-run-live.ts';
import { formatDuration, formatTime, shortId } from '../../core/format.ts';
import { isActiveRun, runControls } from '../../core/run-controls.ts';
import { mergeLiveRun } from '../../core/live-run.ts';
import { summarizeNodeRuns } from '../../core/run-state.ts';
import { ErrorBox, JsonView, Loading, Section, StatusBadge } from '../../ui/common.tsx';
import { RunGraph } from './run-graph.tsx';
import { RunTimeline } from './run-timeline.tsx';
import { JoinsPanel } from './joins-panel.tsx';
import { NodeRunPanel } from './node-run-panel.tsx';
import { EventLog } from './event-log.tsx';
import { ArtifactList } from './artifact-list.tsx';
import { useRunControl } from './use-control.ts';

/** Route component. */
export function RunViewPage() {
  const { id = '' } = useParams();
  const run = useRun(id);
  const live = useRunLive(id);
  const shown = useMemo(() => (run.data ? mergeLiveRun(run.data, live.view) : undefined), [run.data, live.view]);
  if (run.isLoading) return <Loading label="Loading run…" />;
  if (run.isError)
    return (
      <div className="page-pad">
        <ErrorBox error={run.error} onRetry={() => void run.refetch()} />
        <Link to="/runs">← Runs</Link>
      </div>
    );
  if (!shown) return null;
  return <RunView run={shown} live={live} />;
}

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

function RunView({ run, live }: { run: Run; live: RunLive }) {
  const [sp, setSp] = useSearchParams();
  const flowchart = useFlowchart(run.flowchart_id, run.flowchart_version);
  const artifacts = useArtifacts(run.id);
  const nodeRuns = useMemo(() => run.node_runs ?? [], [run.node_runs]);
  const selectedId = sp.get('node_run');
  const selected = nodeRuns.find((n) => n.id === selectedId) ?? null;
  const active = isActiveRun(run.status);
  const now = useNow(active);
  const select = (id: string | null): void =>
    setSp(
      (prev) => {
        const n = new URLSearchParams(prev);
        if (id) n.set('node_run', id);
        else n.delete('node_run');
        return n;
      },
      { replace: true },
    );
  const summary = useMemo(() => summarizeNodeRuns(nodeRuns), [nodeRuns]);
  return (
    <div className="run-view" data-testid="run-view" data-run-id={run.id}>
      <header className="toolbar">
        <Link className="btn small" to="/runs">
          ←
        </Link>
        <span className="toolbar-title" title={run.id}>
          Run {shortId(run.id, 12)}
        </span>
        <StatusBadge status={run.status} testid="run-status" />
        <Link to={`/flowcharts/${encodeURIComponent(run.flowchart_id)}`} className="muted">
          {flowchart.data?.name ?? shortId(run.flowchart_id, 12)} v{run.flowchart_version}
        </Link>
        <span className="muted small">{formatDuration(run.started_at, run.finished_at, now)}</span>
        <span className={`live live-${live.status}`} data-testid="live-status" data-status={live.status} title={live.error ?? `last sequence ${live.lastSequence}`}>
          ● {live.status === 'live' ? 'live' : live.status.replace('_', ' ')}
        </span>
        <span className="toolbar-sep" />
        <RunControlButtons run={run} />
      </header>
      <RunBanner run={run} />
      <div className="run-body">
        <div className="run-center">
          <div className="run-graph-wrap">
            {flowchart.isLoading ? (
              <Loading label="Loading flowchart version…" />
            ) : flowchart.isError ? (
              <ErrorBox error={flowchart.error} onRetry={() => void flowchart.refetch()} />
            ) : flowchart.data ? (
              <ReactFlowProvider>
                <RunGraph
                  document={flowchart.data.document}
                  nodeRuns={nodeRuns}
                  finished={['succeeded', 'failed', 'canceled'].includes(run.status)}
                  selectedNodeRun={selected}
                  tokens={live.tokens}
                  onSelectNode={(nodeId) => {
                    const s = summary.get(nodeId);
                    select(s ? s.latest.id : null);
                  }}
                />
              </ReactFlowProvider>
            ) : null}
          </div>
          <JoinsPanel document={flowchart.data?.document} joins={live.view?.joins ?? {}} nodeRuns={nodeRuns} finished={['succeeded', 'failed', 'canceled'].includes(run.status)} />
          <div className="run-timeline-wrap">
            <RunTimeline run={run} nodeRuns={nodeRuns} selectedId={selected?.id ?? null} onSelect={(id) => select(id === selected?.id ? null : id)} now={now} />
          </div>
        </div>
        <aside className="inspector" data-testid="run-inspector">
          <div className="panel-title">
            {selected ? 'Node run' : 'Run'}
            {selected && (
              <button className="link small" onClick={() => select(null)}>
                show run
              </button>
            )}
          </div>
          {selected ? (
            <NodeRunPanel key={selected.id} run={run} nodeRun={selected} document={flowchart.data?.document} tokens={live.tokens[selected.id]} artifacts={artifacts.data ?? []} onSelect={select} />
          ) : (
            <RunSummary run={run} live={live} artifacts={artifacts} />
          )}
        </aside>
      </div>
    </div>
  );
}

function RunControlButtons({ run }: { run: Run }) {
  const control = useRunControl(run.id);
  const legal = runControls(run.status);
  const [now, setNow] = useState(false);
  return (
    <div className="run-controls" data-testid="run-controls">
      <button className="btn small" disabled={!legal.pause || control.isPending} onClick={() => control.mutate({ action: 'pause', ...(now ? { mode: 'now' as const } : {}) })} data-testid="control-pause" title="Pause: no new dispatches">
        ❚❚ Pause
      </button>
      <label className="check small" title="Pause now: interrupt running node runs (their attempt ends 'interrupted by pause' and runs again on resume, not counted as a retry). Without it, running node runs finish first.">
        <input type="checkbox" checked={now} onChange={(e) => setNow(e.target.checked)} disabled={!legal.pause} data-testid="control-pause-now" /> now
        {now && <span className="muted" data-testid="control-pause-now-hint"> (interrupts running nodes; they rerun on resume)</span>}
      </label>
      <button className="btn small" disabled={!legal.resume || control.isPending} onClick={() => control.mutate({ action: 'resume' })} data-testid="control-resume">
        ▶ Resume
      </button>
      <button
        className="btn small danger"
        disabled={!legal.cancel || control.isPending}
        onClick={() => {
          if (window.confirm('Cancel this run? Running node runs are aborted.')) control.mutate({ action: 'cancel' });
        }}
        data-testid="control-cancel"
      >
        ■ Cancel
      </button>
      {control.isError && (
        <div className="popover-error">
          <ErrorBox error={control.error} compact onDismiss={() => control.reset()} />
        </div>
      )}
    </div>
  );
}

function RunBanner({ run }: { run: Run }) {
  if (!run.error && !run.continued_from && !run.continued_to && !run.parent_run_id && !(run.warnings?.length > 0)) return null;
  return (
    <div className="run-banner">
      {run.error && (
        <div className="run-error" data-testid="run-error" data-code={run.error.code}>
          <b>{run.error.code}</b> {run.error.message}
          {typeof run.error.details?.node_id === 'string' && <span className="muted"> — node {String(run.error.details.node_id)}</span>}
        </div>
      )}
      {run.warnings?.length > 0 && (
        <div className="warn-text small" data-testid="run-warnings">
          {run.warnings.map((w) => `${w.code}: ${w.message}`).join(' · ')}
        </div>
      )}
      {run.continued_from && (
        <span className="small">
          continued from <Link to={`/runs/${encodeURIComponent(run.continued_from)}`}>{shortId(run.continued_from, 12)}</Link>{' '}
        </span>
      )}
      {run.continued_to && (
        <span className="small">
          continued as <Link to={`/runs/${encodeURIComponent(run.continued_to)}`}>{shortId(run.continued_to, 12)}</Link>{' '}
        </span>
      )}
      {run.parent_run_id && (
        <span className="small">
          child of <Link to={`/runs/${encodeURIComponent(run.parent_run_id)}`}>{shortId(run.parent_run_id, 12)}</Link>
        </span>
      )}
    </div>
  );
}

function RunSummary({ run, live, artifacts }: { run: Run; live: RunLive; artifacts: ReturnType<typeof useArtifacts> }) {
  return (
    <div className="panel-scroll">
      <div className="muted small">Click a node or a timeline row to inspect its node run.</div>
      <dl className="kv">
        <dt>run</dt>
        <dd>
          <code>{run.id}</code>
        </dd>
        <dt>created</dt>
        <dd>{formatTime(run.created_at)}</dd>
        <dt>finished</dt>
        <dd>{formatTime(run.finished_at) || '—'}</dd>
      </dl>
      <Section title="Input">
        <JsonView value={run.input} testid="run-input-view" />
      </Section>
      <Section title="Output">
        {run.status === 'failed' && run.error ? (
          <div className="run-error" data-testid="run-output-error" data-code={run.error.code}>
            <b>{run.error.code}</b> {run.error.message}
            {typeof run.error.details?.node_id === 'string' && <span className="muted"> — node {String(run.error.details.node_id)}</span>}
          </div>
        ) : (
          <JsonView value={run.output ?? undefined} testid="run-output" empty={run.status === 'succeeded' ? 'null' : 'not finished'} />
        )}
      </Section>
      {run.leftover_tokens?.length > 0 && (
        <Section title="Leftover tokens">
          <JsonView value={run.leftover_tokens} />
        </Section>
      )}
      <Section title="Artifacts">{artifacts.isLoading ? <Loading /> : artifacts.isError ? <ErrorBox error={artifacts.error} compact /> : <ArtifactList artifacts={artifacts.data ?? []} />}</Section>
      <Section title={`Events (last sequence ${live.lastSequence})`}>
        {live.error && <div className="field-error">{live.error}</div>}
        <EventLog events={live.events} />
      </Section>
    </div>
  );
}
