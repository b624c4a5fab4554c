/** `/flowcharts`: searchable, sortable, paged list of flowcharts with create and delete. */
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, newIdempotencyKey } from '../../api/http.ts';
import { useFlowchartList } from '../../api/queries.ts';
import type { Flowchart } from '../../api/types.ts';
import { newFlowchartDocument } from '../../core/document-graph.ts';
import { formatTime } from '../../core/format.ts';
import { downloadText, flowchartFileName, flowchartFileText, parseFlowchartFile } from '../../core/flowchart-file.ts';
import { Empty, ErrorBox, Loading, Pager } from '../../ui/common.tsx';
import { DebouncedInput } from '../../ui/debounced-input.tsx';
import { PageHeader } from '../../ui/shell.tsx';
import { useSearchState } from '../../ui/use-search-state.ts';

/** The flowcharts list page. */
export function FlowchartListPage() {
  const [s, set] = useSearchState({ q: '', sort: 'updated_at', order: 'desc', page: '1', per_page: '20' });
  const list = useFlowchartList({ q: s.q, sort: s.sort, order: s.order, page: Number(s.page), per_page: Number(s.per_page) });
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [creating, setCreating] = useState(false);
  const create = useMutation({
    mutationFn: async (n: string) => (await api<Flowchart>('POST', '/api/flowcharts', newFlowchartDocument(n), { idempotencyKey: newIdempotencyKey() })).data,
    onSuccess: (f) => {
      void qc.invalidateQueries({ queryKey: ['flowcharts'] });
      void navigate(`/flowcharts/${encodeURIComponent(f.id)}`);
    },
  });
  const importFile = useMutation({
    mutationFn: async (file: File) => {
      const parsed = parseFlowchartFile(await file.text());
      if (!parsed.ok) throw new Error(parsed.error);
      return (await api<Flowchart>('POST', '/api/flowcharts', parsed.document, { idempotencyKey: newIdempotencyKey() })).data;
    },
    onSuccess: (f) => {
      void qc.invalidateQueries({ queryKey: ['flowcharts'] });
      void navigate(`/flowcharts/${encodeURIComponent(f.id)}`);
    },
  });
  const del = useMutation({
    mutationFn: async (id: string) => api<unknown>('DELETE', `/api/flowcharts/${encodeURIComponent(id)}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['flowcharts'] }),
  });
  const items = list.data?.items ?? [];
  return (
    <div className="page">
      <PageHeader title="Flowcharts">
        <button className="btn primary small" onClick={() => setCreating(true)} data-testid="new-flowchart">
          + New flowchart
        </button>
        <label className="btn small" title="Create a flowchart from a .json file (a flowchart-v1 document)">
          ⇪ Import…
          <input
            type="file"
            accept=".json,application/json"
            className="hidden"
            data-testid="import-flowchart-file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) importFile.mutate(file);
            }}
          />
        </label>
      </PageHeader>
      <div className="filters">
        <DebouncedInput value={s.q} onChange={(q) => set({ q })} placeholder="Search by name…" testid="flowchart-search" />
        <label className="inline">
          sort
          <select value={s.sort} onChange={(e) => set({ sort: e.target.value })} data-testid="flowchart-sort">
            <option value="updated_at">updated</option>
            <option value="name">name</option>
            <option value="created_at">created</option>
          </select>
        </label>
        <select value={s.order} onChange={(e) => set({ order: e.target.value })}>
          <option value="desc">desc</option>
          <option value="asc">asc</option>
        </select>
      </div>
      {creating && (
        <form
          className="create-row"
          onSubmit={(e) => {
            e.preventDefault();
            if (name.trim()) create.mutate(name.trim());
          }}
        >
          <input autoFocus type="text" placeholder="Flowchart name" value={name} onChange={(e) => setName(e.target.value)} data-testid="new-flowchart-name" />
          <button className="btn primary small" disabled={!name.trim() || create.isPending} data-testid="create-flowchart">
            Create
          </button>
          <button type="button" className="btn small" onClick={() => setCreating(false)}>
            Cancel
          </button>
        </form>
      )}
      {create.isError && <ErrorBox error={create.error} />}
      {importFile.isError && (
        <div data-testid="import-error">
          <ErrorBox error={importFile.error} onDismiss={() => importFile.reset()} />
        </div>
      )}
      {del.isError && <ErrorBox error={del.error} onDismiss={() => del.reset()} />}
      <div className="page-body">
        {list.isLoading ? (
          <Loading />
        ) : list.isError ? (
          <ErrorBox error={list.error} onRetry={() => void list.refetch()} />
        ) : items.length === 0 ? (
          <Empty>{s.q ? `No flowchart matches “${s.q}”.` : 'No flowcharts yet. Create one to start.'}</Empty>
        ) : (
          <table className="table" data-testid="flowchart-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Version</th>
                <th>Nodes</th>
                <th>Updated</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {items.map((f) => (
                <tr key={f.id} data-testid={`flowchart-row-${f.id}`} className="clickable" onClick={() => navigate(`/flowcharts/${encodeURIComponent(f.id)}`)}>
                  <td>
                    <Link to={`/flowcharts/${encodeURIComponent(f.id)}`} onClick={(e) => e.stopPropagation()}>
                      {f.name}
                    </Link>
                    {f.description && <div className="muted small">{f.description}</div>}
                  </td>
                  <td>v{f.version}</td>
                  <td>{f.document?.nodes?.length ?? ''}</td>
                  <td className="muted">{formatTime(f.updated_at)}</td>
                  <td className="actions" onClick={(e) => e.stopPropagation()}>
                    <Link className="btn small" to={`/runs?flowchart_id=${encodeURIComponent(f.id)}`}>
                      Runs
                    </Link>
                    <button className="btn small" onClick={() => downloadText(flowchartFileName(f.name), flowchartFileText(f.document))} data-testid={`export-flowchart-${f.id}`} title="Download the document as a .json file">
                      Export
                    </button>
                    <button
                      className="btn small danger"
                      onClick={() => {
                        if (window.confirm(`Delete flowchart “${f.name}”?`)) del.mutate(f.id);
                      }}
                      data-testid={`delete-flowchart-${f.id}`}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <Pager page={list.data?.page} onPage={(p) => set({ page: String(p) })} onPerPage={(n) => set({ per_page: String(n) })} />
    </div>
  );
}
