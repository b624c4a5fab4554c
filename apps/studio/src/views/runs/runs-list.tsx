/** `/runs`: runs filtered by flowchart (by name), status and creation time, paged; live over the socket. */
import { Link, useNavigate } from 'react-router';
import { RUN_STATUS_LIST as RUN_STATUSES } from '../../core/run-controls.ts';
import { useFlowchartList, useRuns } from '../../api/queries.ts';
import { useRunsLive } from './use-runs-live.ts';
import { formatDuration, formatTime, shortId } from '../../core/format.ts';
import { Empty, ErrorBox, Loading, Pager, StatusBadge } from '../../ui/common.tsx';
import { DebouncedInput } from '../../ui/debounced-input.tsx';
import { PageHeader } from '../../ui/shell.tsx';
import { useSearchState } from '../../ui/use-search-state.ts';

/** The runs list page. */
export function RunsListPage() {
  const [s, set] = useSearchState({ flowchart_id: '', q: '', status: '', since: '', page: '1', per_page: '20' });
  const createdAfter = SINCE[s.since] ? new Date(Date.now() - SINCE[s.since]!.ms).toISOString().slice(0, 16) : undefined;
  const runs = useRuns({ flowchart_id: s.flowchart_id, q: s.q || undefined, status: s.status, created_after: createdAfter ? `${createdAfter}:00Z` : undefined, page: Number(s.page), per_page: Number(s.per_page) });
  const flowcharts = useFlowchartList({ per_page: 100, sort: 'name', order: 'asc' });
  const names = new Map((flowcharts.data?.items ?? []).map((f) => [f.id, f.name]));
  useRunsLive((flowcharts.data?.items ?? []).map((f) => f.id));
  const navigate = useNavigate();
  const items = runs.data?.items ?? [];
  return (
    <div className="page">
      <PageHeader title="Runs">
        <button className="btn small" onClick={() => void runs.refetch()} data-testid="runs-refresh">
          Refresh
        </button>
      </PageHeader>
      <div className="filters">
        <label className="inline">
          flowchart
          <select value={s.flowchart_id} onChange={(e) => set({ flowchart_id: e.target.value, page: '1' })} data-testid="runs-flowchart-filter">
            <option value="">any</option>
            {(flowcharts.data?.items ?? []).map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        </label>
        <DebouncedInput value={s.q} onChange={(v) => set({ q: v, page: '1' })} placeholder="Run id or flowchart name…" testid="runs-search" />
        <label className="inline">
          created
          <select value={s.since} onChange={(e) => set({ since: e.target.value, page: '1' })} data-testid="runs-since-filter">
            <option value="">any time</option>
            {Object.entries(SINCE).map(([k, v]) => (
              <option key={k} value={k}>
                {v.label}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          status
          <select value={s.status} onChange={(e) => set({ status: e.target.value, page: '1' })} data-testid="runs-status-filter">
            <option value="">any</option>
            {RUN_STATUSES.map((st) => (
              <option key={st} value={st}>
                {st}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="page-body">
        {runs.isLoading ? (
          <Loading />
        ) : runs.isError ? (
          <ErrorBox error={runs.error} onRetry={() => void runs.refetch()} />
        ) : items.length === 0 ? (
          <Empty>No runs{s.status || s.flowchart_id || s.q || s.since ? ' match these filters' : ' yet — start one from a flowchart'}.</Empty>
        ) : (
          <table className="table" data-testid="runs-table">
            <thead>
              <tr>
                <th>Run</th>
                <th>Flowchart</th>
                <th>Status</th>
                <th>Created</th>
                <th>Duration</th>
                <th>Error</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id} className="clickable" data-testid={`run-row-${r.id}`} onClick={() => navigate(`/runs/${encodeURIComponent(r.id)}`)}>
                  <td>
                    <Link to={`/runs/${encodeURIComponent(r.id)}`} onClick={(e) => e.stopPropagation()} title={r.id}>
                      {shortId(r.id, 12)}
                    </Link>
                  </td>
                  <td>
                    <Link to={`/flowcharts/${encodeURIComponent(r.flowchart_id)}`} onClick={(e) => e.stopPropagation()} title={r.flowchart_id} data-testid="run-row-flowchart">
                      {names.get(r.flowchart_id) ?? shortId(r.flowchart_id, 12)}
                    </Link>{' '}
                    <span className="muted">v{r.flowchart_version}</span>
                  </td>
                  <td data-testid="run-row-status" data-status={r.status}>
                    <StatusBadge status={r.status} />
                  </td>
                  <td className="muted">{formatTime(r.created_at)}</td>
                  <td className="muted">{formatDuration(r.started_at, r.finished_at)}</td>
                  <td className="muted small">{r.error ? `${r.error.code}: ${r.error.message}` : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <Pager page={runs.data?.page} onPage={(p) => set({ page: String(p) })} onPerPage={(n) => set({ per_page: String(n) })} />
    </div>
  );
}

/** The creation-time filter: runs created within the last … */
const SINCE: Record<string, { label: string; ms: number }> = {
  '1h': { label: 'last hour', ms: 3_600_000 },
  '24h': { label: 'last 24 hours', ms: 86_400_000 },
  '7d': { label: 'last 7 days', ms: 7 * 86_400_000 },
};
