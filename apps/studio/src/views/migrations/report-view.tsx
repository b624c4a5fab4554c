/** `/migrations/:id`: one report — issues on the graph and listed, the routing simulation, apply and roll back. */
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/http.ts';
import { ErrorBox, Loading, Section, StatusBadge } from '../../ui/common.tsx';
import { PageHeader } from '../../ui/shell.tsx';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { importFlowcharts, loadModelMap, loadSources, useMigrationReport, type MigrationIssue, type MigrationReport, type StoredReport } from './migrations-api.ts';
import { ReportGraph } from './report-graph.tsx';

function IssueList({ issues, selected, onSelect }: { issues: MigrationIssue[]; selected: string | null; onSelect: (id: string | null) => void }) {
  if (issues.length === 0) return <div className="muted" data-testid="report-no-issues">No issues.</div>;
  return (
    <table className="table compact" data-testid="report-issues">
      <thead>
        <tr><th>severity</th><th>code</th><th>where</th><th>message</th></tr>
      </thead>
      <tbody>
        {issues.map((i, k) => {
          const where = i.node_id ?? i.edge_id ?? null;
          return (
            <tr key={k} data-testid="report-issue" data-code={i.code} data-severity={i.severity} className={where && where === selected ? 'selected clickable' : 'clickable'} onClick={() => onSelect(where)}>
              <td className={i.severity === 'error' ? 'err-text' : 'warn-text'}>{i.severity}</td>
              <td className="mono">{i.code}</td>
              <td className="mono small">{i.node_id ? `node ${i.node_id}` : i.edge_id ? `edge ${i.edge_id}` : '—'}{i.legacy_node_id !== undefined ? ` (legacy node ${i.legacy_node_id})` : i.legacy_edge_id !== undefined ? ` (legacy edge ${i.legacy_edge_id})` : ''}</td>
              <td>{i.message}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Legacy targets vs new targets per simulated case, side by side. */
export function RoutingSimulation({ report }: { report: MigrationReport }) {
  if (report.routing_simulation.length === 0) return <div className="muted">No decision nodes: nothing to simulate.</div>;
  return (
    <div data-testid="routing-simulation">
      {report.routing_simulation.map((d) => (
        <div key={d.decision_node_id} data-testid={`simulation-${d.decision_node_id}`}>
          <div className="small muted">decision <span className="mono">{d.decision_node_id}</span></div>
          <table className="table compact">
            <thead>
              <tr><th>case</th><th>llmctl fires</th><th>new fires</th><th>equal</th></tr>
            </thead>
            <tbody>
              {d.cases.map((c, k) => (
                <tr key={k} data-testid="simulation-case" data-equal={String(c.equal)}>
                  <td>{c.description}</td>
                  <td className="mono small">{c.legacy_targets.join(', ') || '—'}</td>
                  <td className="mono small">{c.new_targets.join(', ') || '—'}</td>
                  <td className={c.equal ? 'ok-text' : 'err-text'}>{c.equal ? 'equal' : 'differs'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
}

function Actions({ stored }: { stored: StoredReport }) {
  const qc = useQueryClient();
  const [confirm, setConfirm] = useState<'apply' | 'rollback' | null>(null);
  const source = loadSources()[String(stored.legacy_id)];
  const refresh = () => void qc.invalidateQueries({ queryKey: ['migrations'] }).then(() => qc.invalidateQueries({ queryKey: ['migration'] }));
  const apply = useMutation({
    mutationFn: () => importFlowcharts({ source: { flowcharts: [source] }, model_map: loadModelMap(), apply: true, strict: true }),
    onSuccess: refresh,
  });
  const rollback = useMutation({
    mutationFn: async () => (await api<Record<string, unknown>>('POST', `/api/migrations/${encodeURIComponent(stored.id)}/rollback`)).data,
    onSuccess: refresh,
  });
  const applied = stored.applied_at !== null && stored.rolled_back_at === null;
  const newReport = apply.data?.reports[0];
  return (
    <div className="form-actions" data-testid="report-actions">
      {!applied && (
        <button className="btn primary" disabled={stored.status !== 'ready' || !source || apply.isPending} onClick={() => setConfirm('apply')} data-testid="report-apply"
          title={stored.status !== 'ready' ? 'a blocked report cannot be applied' : !source ? 'import the export again on the Migrations page to apply' : 'apply this flowchart'}>
          Apply
        </button>
      )}
      {applied && (
        <button className="btn danger" disabled={rollback.isPending} onClick={() => setConfirm('rollback')} data-testid="report-rollback">
          Roll back
        </button>
      )}
      {stored.rolled_back_at && <span className="muted" data-testid="report-rolled-back">rolled back {new Date(stored.rolled_back_at).toLocaleString()}</span>}
      {apply.isError && <ErrorBox error={apply.error} compact />}
      {rollback.isError && <ErrorBox error={rollback.error} compact />}
      {newReport?.id && (newReport.apply?.applied ? (
        <span className="ok-text" data-testid="report-applied-as">
          applied as version {newReport.apply.version}: <Link to={`/migrations/${encodeURIComponent(newReport.id)}`}>report {newReport.id}</Link>
        </span>
      ) : (
        <span className="err-text" data-testid="report-apply-refused">
          not applied: the import is now {newReport.compatibility_gate.status} — <Link to={`/migrations/${encodeURIComponent(newReport.id)}`}>see its report</Link>
        </span>
      ))}
      {rollback.isSuccess && <span className="ok-text" data-testid="rollback-done">rolled back ({String(rollback.data.action)})</span>}
      <ConfirmDialog
        open={confirm !== null}
        title={confirm === 'apply' ? 'Apply this import?' : 'Roll back this import?'}
        confirmLabel={confirm === 'apply' ? 'Apply' : 'Roll back'}
        danger={confirm === 'rollback'}
        onCancel={() => setConfirm(null)}
        onConfirm={() => {
          if (confirm === 'apply') apply.mutate();
          else rollback.mutate();
          setConfirm(null);
        }}
      >
        {confirm === 'apply'
          ? `“${stored.name}” (legacy ${stored.legacy_id}) becomes a flowchart version of this server; runs of it are refused until the cutover is on.`
          : `The flowchart goes back to its version before this import (or is deleted if the import created it). Refused while it has active runs.`}
      </ConfirmDialog>
    </div>
  );
}

/** The report page. */
export function MigrationReportPage() {
  const { id } = useParams();
  const q = useMigrationReport(id);
  const [selected, setSelected] = useState<string | null>(null);
  if (q.isLoading) return <Loading />;
  if (q.isError || !q.data) return <div className="page-pad"><ErrorBox error={q.error} onRetry={() => void q.refetch()} /></div>;
  const s = q.data;
  const r = s.report;
  return (
    <div className="page" data-testid="migration-report" data-status={s.status}>
      <PageHeader title={<>Migration report: {s.name}</>}>
        <Link className="btn small" to="/migrations">All migrations</Link>
      </PageHeader>
      <div className="page-body">
        <div className="row" style={{ display: 'flex', gap: 12, alignItems: 'center' }}>
          <StatusBadge status={s.status} testid="report-status" />
          <span className="muted">legacy {r.source.kind} #{s.legacy_id}</span>
          <span>{r.compatibility_gate.error_count} errors, {r.compatibility_gate.warning_count} warnings</span>
          {s.flowchart_id && <Link to={`/flowcharts/${encodeURIComponent(s.flowchart_id)}`} data-testid="report-flowchart-link">flowchart {s.flowchart_id}{s.applied_version ? ` v${s.applied_version}` : ''}</Link>}
        </div>
        <Actions stored={s} />
        <Section title="Graph">
          <ReportGraph doc={r.document} issues={r.issues} selected={selected} onSelect={setSelected} />
        </Section>
        <Section title={`Issues (${r.issues.length})`}>
          <IssueList issues={r.issues} selected={selected} onSelect={setSelected} />
        </Section>
        <Section title="Routing simulation">
          <RoutingSimulation report={r} />
        </Section>
      </div>
    </div>
  );
}
