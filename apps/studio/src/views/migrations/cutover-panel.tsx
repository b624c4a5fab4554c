/** The cutover checklist (`GET /api/migrations/cutover`), the switch (with 409 cutover_blocked reasons) and the rehearsal. */
import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/http.ts';
import { ApiError } from '../../core/api-envelope.ts';
import { ErrorBox, Loading, StatusBadge } from '../../ui/common.tsx';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { useCutover, type CutoverChecklist } from './migrations-api.ts';

type Blocker = CutoverChecklist['blockers'][number];

function BlockedReasons({ error }: { error: ApiError }) {
  const list = Array.isArray(error.details.flowcharts) ? (error.details.flowcharts as Blocker[]) : [];
  return (
    <div className="error-box" data-testid="cutover-blocked">
      <div className="error-message">{error.message}</div>
      <ul>
        {list.map((b) => (
          <li key={b.flowchart_id} data-testid="cutover-blocker">
            {b.name} (legacy {b.legacy_id}){b.report_id && <> — <Link to={`/migrations/${encodeURIComponent(b.report_id)}`}>report</Link></>}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The checklist section of the migrations page. */
export function CutoverPanel() {
  const qc = useQueryClient();
  const c = useCutover();
  const [confirm, setConfirm] = useState<boolean | null>(null);
  const refresh = () => void qc.invalidateQueries({ queryKey: ['migrations'] }).then(() => qc.invalidateQueries({ queryKey: ['settings', 'runtime'] }));
  const toggle = useMutation({
    mutationFn: async (on: boolean) => (await api('PUT', '/api/settings/runtime', { agent_runtime_cutover_enabled: on })).data,
    onSuccess: refresh,
  });
  const rehearse = useMutation({
    mutationFn: async () => (await api<CutoverChecklist>('POST', '/api/migrations/cutover/rehearse', { timeout_s: 120 })).data,
    onSuccess: (d) => qc.setQueryData(['migrations', 'cutover'], d),
  });
  if (c.isLoading) return <Loading />;
  if (c.isError || !c.data) return <ErrorBox error={c.error} onRetry={() => void c.refetch()} />;
  const d = c.data;
  return (
    <div data-testid="cutover" data-enabled={String(d.enabled)}>
      <ul className="checklist">
        <li data-testid="cutover-imported">{d.imported} imported flowchart(s)</li>
        <li data-testid="cutover-ready" className={d.blocked === 0 ? 'ok-text' : ''}>{d.ready} ready, {d.blocked} blocked</li>
        <li data-testid="cutover-rehearsed" className={d.rehearsed === d.imported && d.imported > 0 ? 'ok-text' : ''}>{d.rehearsed} of {d.imported} rehearsed (latest version, succeeded)</li>
        <li className="small muted">evidence: <span className="mono">{d.evidence.record}</span> (<span className="mono">{d.evidence.generated_by}</span>)</li>
      </ul>
      {d.flowcharts.length > 0 && (
        <table className="table compact" data-testid="cutover-table">
          <thead>
            <tr><th>flowchart</th><th>legacy</th><th>latest report</th><th>rehearsal</th></tr>
          </thead>
          <tbody>
            {d.flowcharts.map((f) => (
              <tr key={f.flowchart_id} data-testid={`cutover-row-${f.legacy_id}`}>
                <td><Link to={`/flowcharts/${encodeURIComponent(f.flowchart_id)}`}>{f.name}</Link> <span className="muted">v{f.latest_version}</span></td>
                <td>{f.legacy_id}</td>
                <td>{f.latest_status ? <StatusBadge status={f.latest_status} /> : '—'}</td>
                <td data-testid={`rehearsal-${f.legacy_id}`} data-status={f.rehearsal?.status ?? 'none'}>
                  {f.rehearsal ? <>{f.rehearsal.status}{f.rehearsal.run_id && <> — <Link to={`/runs/${encodeURIComponent(f.rehearsal.run_id)}`}>run</Link></>}</> : <span className="muted">not rehearsed</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="form-actions">
        <span>Cutover is <strong data-testid="cutover-state">{d.enabled ? 'on' : 'off'}</strong></span>
        <button className="btn primary" onClick={() => setConfirm(!d.enabled)} disabled={toggle.isPending} data-testid="cutover-toggle">
          {d.enabled ? 'Turn cutover off' : 'Turn cutover on'}
        </button>
        <button className="btn" onClick={() => rehearse.mutate()} disabled={rehearse.isPending || d.imported === 0} data-testid="cutover-rehearse" title="run every imported flowchart once (scripted models only)">
          {rehearse.isPending ? 'Rehearsing…' : 'Rehearse'}
        </button>
      </div>
      {toggle.isError && (toggle.error instanceof ApiError && toggle.error.code === 'cutover_blocked' ? <BlockedReasons error={toggle.error} /> : <ErrorBox error={toggle.error} />)}
      {rehearse.isError && <ErrorBox error={rehearse.error} />}
      <ConfirmDialog
        open={confirm !== null}
        title={confirm ? 'Turn the cutover on?' : 'Turn the cutover off?'}
        confirmLabel={confirm ? 'Turn on' : 'Turn off'}
        danger={!confirm}
        onCancel={() => setConfirm(null)}
        onConfirm={() => {
          if (confirm !== null) toggle.mutate(confirm);
          setConfirm(null);
        }}
      >
        {confirm
          ? 'Runs of imported flowcharts are accepted from now on (refused while a latest report is blocked).'
          : 'Runs of imported flowcharts are refused (409 cutover_disabled) until the cutover is on again.'}
      </ConfirmDialog>
    </div>
  );
}
