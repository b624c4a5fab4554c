/**
 * `/workers`: queue workers (`GET /api/workers`: live, draining, lost; classes, concurrency, active, heartbeat age)
 * and the queue depth from `/api/health`. The server sends no socket events for workers, so the page has a visible
 * refresh control and an opt-out auto refresh every 10 s (no hidden polling).
 */
import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { ExecutorHealth, WorkerView } from '@llmctl/contracts';
import { apiGet } from '../../api/http.ts';
import { Empty, ErrorBox, Loading, StatusBadge } from '../../ui/common.tsx';
import { PageHeader } from '../../ui/shell.tsx';

type HealthExecutor = Partial<ExecutorHealth>;

const AUTO_MS = 10_000;

/** "4 s ago", "3 min ago" for a past instant relative to `now`. */
export function ageOf(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 120) return `${s} s ago`;
  if (s < 7200) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}

/** The workers page. */
export function WorkersPage() {
  const [auto, setAuto] = useState(true);
  const workers = useQuery({ queryKey: ['workers'], queryFn: ({ signal }) => apiGet<WorkerView[]>('/api/workers', signal), refetchInterval: auto ? AUTO_MS : false });
  const health = useQuery({
    queryKey: ['health', 'executor'],
    queryFn: async ({ signal }) => (await apiGet<{ executor?: HealthExecutor }>('/api/health', signal)).executor ?? {},
    refetchInterval: auto ? AUTO_MS : false,
    retry: false,
  });
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => setNow(Date.now()), [workers.dataUpdatedAt]);
  const refresh = () => void Promise.all([workers.refetch(), health.refetch()]);
  const list = workers.data ?? [];
  const q = health.data?.queue;
  return (
    <div className="page" data-testid="workers-page">
      <PageHeader title="Workers">
        <label className="check small" title={`refresh every ${AUTO_MS / 1000} s`}>
          <input type="checkbox" checked={auto} onChange={(e) => setAuto(e.target.checked)} data-testid="workers-auto" /> auto refresh ({AUTO_MS / 1000} s)
        </label>
        <button className="btn small" onClick={refresh} disabled={workers.isFetching} data-testid="workers-refresh" data-fetching={String(workers.isFetching)}>
          {workers.isFetching ? 'Refreshing…' : 'Refresh'}
        </button>
      </PageHeader>
      <div className="page-body">
        <div className="muted" data-testid="queue-summary" data-depth={q?.depth ?? ''}>
          executor backend <strong>{health.data?.backend ?? '…'}</strong>
          {q && <> — queue depth <strong data-testid="queue-depth">{q.depth}</strong>, {q.active} attempt(s) on workers, {q.live_workers} live worker(s)</>}
          {health.data?.detail && <div className="small">{health.data.detail}</div>}
          <div className="small">as of {new Date(now).toLocaleTimeString()}</div>
        </div>
        {workers.isLoading ? (
          <Loading />
        ) : workers.isError ? (
          <ErrorBox error={workers.error} onRetry={refresh} />
        ) : list.length === 0 ? (
          <div data-testid="workers-empty">
            <Empty>
              No worker seen in the last hour. Workers run node attempts when the executor backend is <span className="mono">queue</span>: start one next to
              the server with <code className="mono">llmctl worker --data-dir .llmctl</code> (or <code className="mono">DATABASE_URL=… llmctl worker</code> on
              another machine; <code className="mono">--class</code> and <code className="mono">--concurrency</code> choose what and how much it runs).
            </Empty>
          </div>
        ) : (
          <table className="table" data-testid="workers-table">
            <thead>
              <tr><th>worker</th><th>status</th><th>classes</th><th>active / concurrency</th><th>heartbeat</th><th>started</th></tr>
            </thead>
            <tbody>
              {list.map((w) => (
                <tr key={w.id} data-testid={`worker-${w.name}`} data-status={w.status}>
                  <td>{w.name}<div className="muted small">{w.host} pid {w.pid}</div></td>
                  <td><StatusBadge status={w.status} testid={`worker-status-${w.name}`} /></td>
                  <td className="mono small">{w.classes.join(', ')}</td>
                  <td data-testid={`worker-load-${w.name}`}>{w.active} / {w.concurrency}</td>
                  <td className={w.status === 'lost' ? 'err-text' : ''}>{ageOf(w.heartbeat_at, now)}</td>
                  <td className="muted">{new Date(w.started_at).toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
