/** `/migrations`: import an llmctl export (upload or paste; dry run or apply), the batch table, stored reports, cutover. */
import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { parseJsonObject } from '../../core/json-text.ts';
import { ErrorBox, Field, Loading, Section, StatusBadge } from '../../ui/common.tsx';
import { PageHeader } from '../../ui/shell.tsx';
import { CutoverPanel } from './cutover-panel.tsx';
import { flowchartsOf, importFlowcharts, rememberSources, useMigrationReports, type MigrationBatch } from './migrations-api.ts';

function parseExport(text: string): { flowcharts: unknown[] } | string {
  if (!text.trim()) return 'paste or upload an llmctl export';
  try {
    const f = flowchartsOf(JSON.parse(text));
    return f ? { flowcharts: f } : 'expected { "flowcharts": [ … ] }';
  } catch (e) {
    return `invalid JSON: ${(e as Error).message}`;
  }
}

function BatchTable({ batch }: { batch: MigrationBatch }) {
  return (
    <div data-testid="batch" data-batch-id={batch.batch_id}>
      <div className="muted small" data-testid="batch-summary">
        {batch.flowchart_count} flowchart(s): {batch.ready_count} ready, {batch.blocked_count} blocked{batch.apply_requested ? `, ${batch.applied_count} applied` : ' (dry run)'}
      </div>
      <table className="table" data-testid="batch-table">
        <thead>
          <tr><th>flowchart</th><th>status</th><th>errors</th><th>warnings</th><th>applied</th><th /></tr>
        </thead>
        <tbody>
          {batch.reports.map((r) => (
            <tr key={r.id ?? r.source.legacy_id} data-testid={`batch-row-${r.source.legacy_id}`} data-status={r.compatibility_gate.status}>
              <td>{r.source.name} <span className="muted">#{r.source.legacy_id}</span></td>
              <td><StatusBadge status={r.compatibility_gate.status} /></td>
              <td title={r.compatibility_gate.blocking_issue_codes.join(', ')}>{r.compatibility_gate.error_count}{r.compatibility_gate.error_count > 0 && <span className="muted small"> {r.compatibility_gate.blocking_issue_codes.join(', ')}</span>}</td>
              <td>{r.compatibility_gate.warning_count}</td>
              <td>{r.apply?.applied ? `v${r.apply.version}` : '—'}</td>
              <td className="actions">{r.id && <Link className="btn small" to={`/migrations/${encodeURIComponent(r.id)}`} data-testid={`open-report-${r.source.legacy_id}`}>Open report</Link>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function StoredReports() {
  const q = useMigrationReports();
  if (q.isLoading) return <Loading />;
  if (q.isError) return <ErrorBox error={q.error} compact />;
  const items = q.data ?? [];
  if (items.length === 0) return <div className="muted">No reports yet.</div>;
  return (
    <table className="table compact" data-testid="stored-reports">
      <thead>
        <tr><th>created</th><th>flowchart</th><th>status</th><th>applied</th><th /></tr>
      </thead>
      <tbody>
        {items.map((r) => (
          <tr key={r.id}>
            <td className="muted">{new Date(r.created_at).toLocaleString()}</td>
            <td>{r.name} <span className="muted">#{r.legacy_id}</span></td>
            <td><StatusBadge status={r.status} /></td>
            <td>{r.rolled_back_at ? 'rolled back' : r.applied_at ? `v${r.applied_version}` : '—'}</td>
            <td className="actions"><Link className="btn small" to={`/migrations/${encodeURIComponent(r.id)}`}>Open</Link></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The migrations page. */
export function MigrationsPage() {
  const qc = useQueryClient();
  const [text, setText] = useState('');
  const [modelMap, setModelMap] = useState('{}');
  const [strict, setStrict] = useState(true);
  const [apply, setApply] = useState(false);
  const parsed = parseExport(text);
  const mm = parseJsonObject(modelMap, false);
  const run = useMutation({
    mutationFn: () => {
      if (typeof parsed === 'string') throw new Error(parsed);
      const modelMapValue = (mm.ok && mm.value ? mm.value : {}) as Record<string, string>;
      rememberSources(parsed.flowcharts, modelMapValue);
      return importFlowcharts({ source: parsed, model_map: modelMapValue, apply, strict });
    },
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['migrations'] }),
  });
  return (
    <div className="page" data-testid="migrations-page">
      <PageHeader title="Migrations" />
      <div className="page-body">
        <Section title="Import an llmctl export">
          <form className="form" onSubmit={(e) => { e.preventDefault(); run.mutate(); }}>
            <Field label="Export file" hint="the JSON of llmctl's export: { flowcharts: [ { flowchart, nodes, edges } ] }">
              <input type="file" accept=".json,application/json" data-testid="migration-file"
                onChange={(e) => { const f = e.target.files?.[0]; if (f) void f.text().then(setText); }} />
            </Field>
            <Field label="…or paste it" error={text.trim() && typeof parsed === 'string' ? parsed : null}>
              <textarea className="mono" rows={8} value={text} onChange={(e) => setText(e.target.value)} data-testid="migration-source" />
            </Field>
            <Field label="Model map" hint='legacy model id → model name here, e.g. { "7": "gpt-4o" }' error={mm.ok ? null : mm.error}>
              <textarea className="mono" rows={2} value={modelMap} onChange={(e) => setModelMap(e.target.value)} data-testid="migration-model-map" />
            </Field>
            <label className="check"><input type="checkbox" checked={strict} onChange={(e) => setStrict(e.target.checked)} data-testid="migration-strict" /> strict (untranslatable routing blocks)</label>
            <label className="check"><input type="checkbox" checked={apply} onChange={(e) => setApply(e.target.checked)} data-testid="migration-apply" /> apply the ready flowcharts (otherwise a dry run)</label>
            <div className="form-actions">
              <button className="btn primary" disabled={typeof parsed === 'string' || !mm.ok || run.isPending} data-testid="migration-run">
                {run.isPending ? 'Importing…' : apply ? 'Import and apply' : 'Dry run'}
              </button>
            </div>
            {run.isError && <ErrorBox error={run.error} />}
          </form>
          {run.data && <BatchTable batch={run.data} />}
        </Section>
        <Section title="Cutover">
          <CutoverPanel />
        </Section>
        <Section title="Stored reports">
          <StoredReports />
        </Section>
      </div>
    </div>
  );
}
