/** `/runs`: runs filtered by flowchart and status, paged. */
import { Link, useNavigate } from 'react-router';
import { RUN_STATUS_LIST as RUN_STATUSES } from '../../core/run-controls.ts';
import { useRuns } from '../../api/queries.ts';
import { formatDuration, formatTime, shortId } from '../../core/format.ts';
import { Empty, ErrorBox, Loading, Pager, StatusBadge } from '../../ui/common.tsx';
import { DebouncedInput } from '../../ui/debounced-input.tsx';
import { PageHeader } from '../../ui/shell.tsx';
import { useSearchState } from '../../ui/use-search-state.ts';

/** The runs list page. */
export function RunsListPage() {
  const [s, set] = useSearchState({ flowchart_id: '', status: '', page: '1', per_page: '20' });
  const runs = useRuns({ flowchart_id: s.flowchart_id, status: s.status, page: Number(s.page), per_page: Number(s.per_page) });
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
        <DebouncedInput value={s.flowchart_id} onChange={(v) => set({ flowchart_id: v })} placeholder="Flowchart id…" testid="runs-flowchart-filter" />
        <label className="inline">
          status
          <select value={s.status} onChange={(e) => set({ status: e.target.value })} data-testid="runs-status-filter">
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
          <Empty>No runs{s.status || s.flowchart_id ? ' match these filters' : ' yet — start one from a flowchart'}.</Empty>
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
                    <Link to={`/flowcharts/${encodeURIComponent(r.flowchart_id)}`} onClick={(e) => e.stopPropagation()}>
                      {shortId(r.flowchart_id, 12)}
                    </Link>{' '}
                    <span className="muted">v{r.flowchart_version}</span>
                  </td>
                  <td>
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
