/** Right panel of the run view for one node run: overview and controls, model calls, routing, input, output, tokens, artifacts. */
import { useState } from 'react';
import type { FlowchartDocument, NodeRun, Run } from '@llmctl/contracts';
import type { Artifact } from '../../api/types.ts';
import { formatDuration, formatTime } from '../../core/format.ts';
import { nodeRunControls } from '../../core/run-controls.ts';
import { nodeRunDisplayState } from '../../core/run-state.ts';
import { parseJsonText } from '../../core/json-text.ts';
import { ErrorBox, JsonView, Section, StatusBadge, Tabs } from '../../ui/common.tsx';
import { useRunControl, type ControlResponse } from './use-control.ts';
import { ArtifactList } from './artifact-list.tsx';
import { ModelCallsTab } from './model-calls.tsx';
import { ExecutorSection } from './executor-section.tsx';
import { ChildRunItem } from './child-run-item.tsx';

type Tab = 'overview' | 'calls' | 'routing' | 'input' | 'output' | 'tokens' | 'artifacts';

/** Props of {@link NodeRunPanel}. */
export interface NodeRunPanelProps {
  run: Run;
  nodeRun: NodeRun;
  document: FlowchartDocument | undefined;
  tokens: string | undefined;
  artifacts: Artifact[];
  onSelect: (id: string) => void;
}

/** Node-run inspector. */
export function NodeRunPanel({ run, nodeRun: nr, document, tokens, artifacts, onSelect }: NodeRunPanelProps) {
  const [tab, setTab] = useState<Tab>(nr.status === 'running' && nr.node_type === 'task' ? 'tokens' : 'overview');
  const mine = artifacts.filter((a) => a.node_run_id === nr.id);
  return (
    <div className="node-run-panel" data-testid="node-run-panel" data-node-run-id={nr.id}>
      <div className="nr-head">
        <b>{nr.node_id}</b> <span className="muted">#{nr.iteration}</span> <StatusBadge status={nodeRunDisplayState(nr)} testid="node-run-panel-status" />
      </div>
      <NodeRunControls run={run} nodeRun={nr} />
      <Tabs
        tabs={[
          { id: 'overview', label: 'Overview' },
          { id: 'calls', label: 'Model calls' },
          { id: 'routing', label: 'Routing' },
          { id: 'input', label: 'Input' },
          { id: 'output', label: 'Output' },
          { id: 'tokens', label: nr.status === 'running' ? 'Tokens ●' : 'Tokens' },
          { id: 'artifacts', label: `Artifacts (${mine.length})` },
        ]}
        active={tab}
        onChange={setTab}
        testid="node-run-tabs"
      />
      <div className="panel-scroll">
        {tab === 'overview' && <Overview nr={nr} onSelect={onSelect} />}
        {tab === 'calls' && <ModelCallsTab runId={run.id} nr={nr} tokens={tokens} />}
        {tab === 'routing' && <RoutingInspector nr={nr} document={document} />}
        {tab === 'input' && <JsonView value={nr.input_snapshot} testid="node-run-input" />}
        {tab === 'output' && <JsonView value={nr.output} testid="node-run-output" empty="no output" />}
        {tab === 'tokens' && (
          <pre className="token-stream" data-testid="token-stream" data-streaming={nr.status === 'running'}>
            {tokens ?? (nr.status === 'running' ? 'waiting for tokens…' : 'No streamed text (tokens are only kept while the studio watches the run).')}
            {nr.status === 'running' && <span className="caret">▍</span>}
          </pre>
        )}
        {tab === 'artifacts' && <ArtifactList artifacts={mine} />}
      </div>
    </div>
  );
}

function Overview({ nr, onSelect }: { nr: NodeRun; onSelect: (id: string) => void }) {
  return (
    <>
      <dl className="kv">
        <dt>node run</dt>
        <dd>
          <code>{nr.id}</code>
        </dd>
        <dt>type</dt>
        <dd>{nr.node_type}</dd>
        <dt>outcome</dt>
        <dd>{nr.outcome ?? '—'}</dd>
        <dt>started</dt>
        <dd>{formatTime(nr.started_at) || '—'}</dd>
        <dt>duration</dt>
        <dd>{formatDuration(nr.started_at, nr.finished_at) || '—'}</dd>
        <dt>idempotency key</dt>
        <dd>
          <code className="small">{nr.idempotency_key}</code>
        </dd>
        {nr.retry_of && (
          <>
            <dt>retry of</dt>
            <dd>
              <button className="link" onClick={() => onSelect(nr.retry_of!)}>
                {nr.retry_of}
              </button>
            </dd>
          </>
        )}
        {nr.rewound_from && (
          <>
            <dt>rewound from</dt>
            <dd>
              <button className="link" onClick={() => onSelect(nr.rewound_from!)}>
                {nr.rewound_from}
              </button>
            </dd>
          </>
        )}
        {nr.child_run && <ChildRunItem child={nr.child_run} />}
      </dl>
      {nr.fallback_used && (
        <div className="degraded" data-testid="degraded-marker">
          ⚠ success with warning — fallback used{nr.degraded_reason ? `: ${nr.degraded_reason}` : ''}
        </div>
      )}
      {nr.error && (
        <div className="run-error" data-testid="node-run-error" data-code={nr.error.code}>
          <b>{nr.error.code}</b> {nr.error.message} {nr.error.retryable && <span className="muted">(retryable)</span>}
          {Object.keys(nr.error.details ?? {}).length > 0 && <JsonView value={nr.error.details} />}
        </div>
      )}
      {nr.warnings?.length > 0 && (
        <Section title="Warnings">
          <ul className="plain" data-testid="node-run-warnings">
            {nr.warnings.map((w, i) => (
              <li key={i}>
                <code>{w.code}</code> {w.message}
              </li>
            ))}
          </ul>
        </Section>
      )}
      <Section title={`Attempts (${nr.attempts?.length ?? 0})`}>
        <table className="table compact" data-testid="node-run-attempts">
          <tbody>
            {(nr.attempts ?? []).map((a) => (
              <tr key={a.n}>
                <td>#{a.n}</td>
                <td className="muted">{formatTime(a.started_at)}</td>
                <td className="muted">{formatDuration(a.started_at, a.finished_at)}</td>
                <td data-testid="attempt-outcome" data-code={a.error?.code ?? ''}>
                  {a.error?.code === 'interrupted' ? (
                    <span className="muted" title={a.error.message}>
                      {/pause/.test(String(a.error.details?.reason ?? a.error.message)) ? 'interrupted by pause — runs again on resume' : `interrupted (${String(a.error.details?.reason ?? 'stopped')}) — runs again`} (not counted as a retry)
                    </span>
                  ) : a.error ? (
                    <span className="err-text">{a.error.code}: {a.error.message}</span>
                  ) : a.finished_at ? 'ok' : 'running'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <ExecutorSection nr={nr} />
      {nr.usage && (
        <Section title="Usage">
          <JsonView value={nr.usage} />
        </Section>
      )}
    </>
  );
}

/** Routing record of a node run: state, keys, evaluated conditions and matched connectors. */
export function RoutingInspector({ nr, document }: { nr: NodeRun; document: FlowchartDocument | undefined }) {
  const r = nr.routing;
  if (!r) return <div className="muted" data-testid="routing-inspector">No routing record ({nr.status === 'succeeded' || nr.status === 'skipped' ? 'not recorded' : 'computed when the node run succeeds or is skipped'}).</div>;
  const edges = (document?.edges ?? []).filter((e) => e.source === nr.node_id);
  const matched = new Set(r.matched_connector_ids);
  const evaluated = new Map(r.evaluated.map((e) => [e.connector_id, e]));
  const ids = [...new Set([...edges.map((e) => e.id), ...r.evaluated.map((e) => e.connector_id), ...r.matched_connector_ids])];
  return (
    <div data-testid="routing-inspector" data-routing-state={r.routing_state}>
      <dl className="kv">
        <dt>routing state</dt>
        <dd>
          <StatusBadge status={r.routing_state} testid="routing-state" />
          {r.routing_state === 'fallback' && <span className="marker warn"> fallback connector taken</span>}
        </dd>
        <dt>route key</dt>
        <dd data-testid="routing-route-key">{r.route_key ?? '—'}</dd>
        {r.route_keys.length > 1 && (
          <>
            <dt>route keys</dt>
            <dd>{r.route_keys.join(', ')}</dd>
          </>
        )}
      </dl>
      <table className="table compact">
        <thead>
          <tr>
            <th>Connector</th>
            <th>Condition</th>
            <th>Result</th>
          </tr>
        </thead>
        <tbody>
          {ids.map((id) => {
            const e = edges.find((x) => x.id === id);
            const ev = evaluated.get(id);
            return (
              <tr key={id} className={matched.has(id) ? 'matched' : ''} data-testid={`routing-connector-${id}`} data-matched={matched.has(id)}>
                <td>
                  {matched.has(id) ? '✓ ' : ''}
                  <code>{id}</code> → {e?.target ?? '?'}
                  {e?.route_key && <span className="muted"> [{e.route_key}]</span>}
                  {e?.fallback && <span className="marker"> fallback</span>}
                  {e?.mode === 'context' && <span className="muted"> context</span>}
                </td>
                <td>
                  <code className="small">{e?.condition ?? (e?.fallback ? '(fallback)' : '(none)')}</code>
                </td>
                <td>{ev ? ev.error ? <span className="err-text">{ev.error.code}: {ev.error.message}</span> : <code>{JSON.stringify(ev.result)}</code> : <span className="muted">—</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function NodeRunControls({ run, nodeRun }: { run: Run; nodeRun: NodeRun }) {
  const control = useRunControl(run.id);
  const legal = nodeRunControls(run, nodeRun, run.node_runs ?? []);
  const [form, setForm] = useState<null | 'skip' | 'rewind'>(null);
  const [text, setText] = useState('');
  const parsed = parseJsonText(text);
  const [result, setResult] = useState<ControlResponse | null>(null);
  const fire = (action: 'retry' | 'skip' | 'rewind'): void => {
    const req: Parameters<typeof control.mutate>[0] = { action, node_run_id: nodeRun.id };
    if (action === 'skip' && parsed.ok && parsed.value !== undefined) req.output = parsed.value;
    if (action === 'rewind' && parsed.ok && parsed.value !== undefined) req.input_override = parsed.value;
    control.mutate(req, {
      onSuccess: (d) => {
        setResult(d);
        setForm(null);
        setText('');
      },
    });
  };
  const btn = (action: 'retry' | 'skip' | 'rewind', label: string) => {
    const v = legal[action];
    return (
      <button
        className="btn small"
        disabled={!v.ok || control.isPending}
        title={v.ok ? label : v.reason}
        data-testid={`control-${action}`}
        onClick={() => (action === 'retry' ? fire('retry') : setForm(form === action ? null : action))}
      >
        {label}
      </button>
    );
  };
  return (
    <div className="nr-controls">
      <div className="row">
        {btn('retry', '↺ Retry')}
        {btn('skip', '⤼ Skip…')}
        {btn('rewind', '⟲ Rewind…')}
      </div>
      {form && (
        <div className="control-form" data-testid={`control-form-${form}`}>
          <span className="field-label">{form === 'skip' ? 'Skip output (JSON, optional — default null)' : 'Input override (JSON, optional)'}</span>
          {form === 'rewind' && (
            <span className="muted small" data-testid="rewind-override-hint">
              {nodeRun.node_type === 'start'
                ? 'Replaces the run input.'
                : `Replaces what this node consumed: ${[...new Set((nodeRun.input_snapshot?.tokens ?? []).map((t) => t.source_node_id).filter(Boolean))].map((k) => `upstream.${k}`).join(', ') || 'nothing'}. It does not change the run input ({{input…}}): rewind the start node for that.`}
            </span>
          )}
          <textarea className={`mono${parsed.ok ? '' : ' invalid'}`} rows={3} value={text} onChange={(e) => setText(e.target.value)} data-testid={`control-${form}-json`} />
          {!parsed.ok && <span className="field-error">{parsed.error}</span>}
          <button className="btn small primary" disabled={!parsed.ok || control.isPending} onClick={() => fire(form)} data-testid={`control-${form}-confirm`}>
            {form === 'skip' ? 'Skip node run' : 'Rewind to here'}
          </button>
        </div>
      )}
      {control.isError && <ErrorBox error={control.error} compact onDismiss={() => control.reset()} />}
      {result?.superseded_node_run_ids && result.superseded_node_run_ids.length > 0 && (
        <div className="muted small">Superseded: {result.superseded_node_run_ids.length} node run(s)</div>
      )}
      {result?.side_effects && result.side_effects.length > 0 && (
        <details className="small">
          <summary className="warn-text">{result.side_effects.length} external side effect(s) were not undone</summary>
          <JsonView value={result.side_effects} />
        </details>
      )}
    </div>
  );
}
