/** `/models`: the model registry grouped by provider tabs, with search, sort, direction and paging. */
import { Link, useNavigate } from 'react-router';
import { useModels } from '../../api/queries.ts';
import { PROVIDERS, PROVIDER_LABELS } from '../../api/types.ts';
import { formatTime } from '../../core/format.ts';
import { Empty, ErrorBox, Loading, Pager } from '../../ui/common.tsx';
import { DebouncedInput } from '../../ui/debounced-input.tsx';
import { PageHeader } from '../../ui/shell.tsx';
import { useSearchState } from '../../ui/use-search-state.ts';

/** Provider label, with scripted marked as offline. */
export function ProviderBadge({ provider }: { provider: string }) {
  return (
    <span className={`badge prov prov-${provider}`} data-testid="provider-badge">
      {PROVIDER_LABELS[provider] ?? provider}
    </span>
  );
}

/** The models page. */
export function ModelsListPage() {
  const [s, set] = useSearchState({ provider: '', q: '', sort: 'name', order: 'asc', page: '1', per_page: '20' });
  const models = useModels({ provider: s.provider, q: s.q, sort: s.sort, order: s.order, page: Number(s.page), per_page: Number(s.per_page) });
  const navigate = useNavigate();
  const items = models.data?.items ?? [];
  return (
    <div className="page with-subnav">
      <nav className="subnav" data-testid="provider-tabs">
        <div className="panel-title">Providers</div>
        {[{ id: '', label: 'All providers' }, ...PROVIDERS.map((p) => ({ id: p, label: PROVIDER_LABELS[p] ?? p }))].map((p) => (
          <button key={p.id || 'all'} className={`subnav-item${s.provider === p.id ? ' active' : ''}`} onClick={() => set({ provider: p.id })} data-testid={`provider-tab-${p.id || 'all'}`}>
            {p.label}
          </button>
        ))}
        <Link className="subnav-item link-item" to="/providers">
          Credentials →
        </Link>
      </nav>
      <div className="page-main">
        <PageHeader title={s.provider ? `${PROVIDER_LABELS[s.provider] ?? s.provider} models` : 'Models'}>
          <Link className="btn primary small" to={`/models/new${s.provider ? `?provider=${s.provider}` : ''}`} data-testid="new-model">
            + New model
          </Link>
        </PageHeader>
        <div className="filters">
          <DebouncedInput value={s.q} onChange={(q) => set({ q })} placeholder="Search by name…" testid="model-search" />
          <label className="inline">
            sort
            <select value={s.sort} onChange={(e) => set({ sort: e.target.value })} data-testid="model-sort">
              <option value="name">name</option>
              <option value="provider">provider</option>
              <option value="updated_at">updated</option>
            </select>
          </label>
          <label className="inline">
            direction
            <select value={s.order} onChange={(e) => set({ order: e.target.value })} data-testid="model-order">
              <option value="asc">ascending</option>
              <option value="desc">descending</option>
            </select>
          </label>
        </div>
        <div className="page-body">
          {models.isLoading ? (
            <Loading />
          ) : models.isError ? (
            <ErrorBox error={models.error} onRetry={() => void models.refetch()} />
          ) : items.length === 0 ? (
            <Empty>{s.q || s.provider ? 'No model matches.' : 'No models registered yet.'}</Empty>
          ) : (
            <table className="table" data-testid="models-table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Provider</th>
                  <th>Model</th>
                  <th>Base URL</th>
                  <th>Updated</th>
                </tr>
              </thead>
              <tbody>
                {items.map((m) => (
                  <tr key={m.id} className="clickable" data-testid={`model-row-${m.name}`} data-model-id={m.id} data-provider={m.provider} onClick={() => navigate(`/models/${encodeURIComponent(m.id)}`)}>
                    <td>
                      <Link to={`/models/${encodeURIComponent(m.id)}`} onClick={(e) => e.stopPropagation()}>
                        {m.name}
                      </Link>
                    </td>
                    <td>
                      <ProviderBadge provider={m.provider} />
                    </td>
                    <td>{m.model}</td>
                    <td className="muted small">{m.base_url ?? ''}</td>
                    <td className="muted">{formatTime(m.updated_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <Pager page={models.data?.page} onPage={(p) => set({ page: String(p) })} onPerPage={(n) => set({ per_page: String(n) })} />
      </div>
    </div>
  );
}
