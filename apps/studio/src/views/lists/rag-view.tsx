/** `/rag`: RAG collections — list/create, add documents, search. */
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RagCollectionView } from '@llmctl/contracts';
import { api } from '../../api/http.ts';
import { queryString } from '../../core/api-envelope.ts';
import { Empty, ErrorBox, Field, JsonView, Loading, Section } from '../../ui/common.tsx';
import { PageHeader } from '../../ui/shell.tsx';

type Collection = RagCollectionView;

/** The RAG page. */
export function RagPage() {
  const qc = useQueryClient();
  const [sp, setSp] = useSearchParams();
  const selectedId = sp.get('collection') ?? '';
  const collections = useQuery({
    queryKey: ['rag-collections'],
    queryFn: async () => {
      const r = await api<Collection[] | { items: Collection[] }>('GET', '/api/rag/collections');
      return Array.isArray(r.data) ? r.data : (r.data?.items ?? []);
    },
  });
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: async () => (await api<Collection>('POST', '/api/rag/collections', { name: name.trim() })).data,
    onSuccess: (c) => {
      setName('');
      void qc.invalidateQueries({ queryKey: ['rag-collections'] });
      setSp({ collection: c.id });
    },
  });
  const items = collections.data ?? [];
  return (
    <div className="page with-subnav">
      <nav className="subnav" data-testid="rag-collections">
        <div className="panel-title">Collections</div>
        {collections.isLoading && <Loading />}
        {collections.isError && <ErrorBox error={collections.error} compact onRetry={() => void collections.refetch()} />}
        {!collections.isLoading && !collections.isError && items.length === 0 && <Empty>No collections.</Empty>}
        {items.map((c) => (
          <button key={c.id} className={`subnav-item${c.id === selectedId ? ' active' : ''}`} onClick={() => setSp({ collection: c.id })} data-testid={`rag-collection-${c.id}`}>
            {c.name ?? c.id}
            {c.document_count !== undefined && <span className="muted small"> ({c.document_count})</span>}
          </button>
        ))}
        <form
          className="create-row vertical"
          onSubmit={(e) => {
            e.preventDefault();
            if (name.trim()) create.mutate();
          }}
        >
          <input type="text" placeholder="New collection name" value={name} onChange={(e) => setName(e.target.value)} data-testid="rag-new-name" />
          <button className="btn small primary" disabled={!name.trim() || create.isPending} data-testid="rag-create">
            Create
          </button>
        </form>
        {create.isError && <ErrorBox error={create.error} compact />}
      </nav>
      <div className="page-main">
        <PageHeader title={selectedId ? `Collection ${items.find((c) => c.id === selectedId)?.name ?? selectedId}` : 'RAG'} />
        <div className="page-body">{selectedId ? <CollectionPanel key={selectedId} id={selectedId} /> : <Empty>Select or create a collection.</Empty>}</div>
      </div>
    </div>
  );
}

function CollectionPanel({ id }: { id: string }) {
  const qc = useQueryClient();
  const [docName, setDocName] = useState('');
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [submitted, setSubmitted] = useState('');
  const detail = useQuery({
    queryKey: ['rag-collection', id],
    queryFn: async () => (await api<Collection & { documents?: Record<string, unknown>[] }>('GET', `/api/rag/collections/${encodeURIComponent(id)}`)).data,
  });
  const add = useMutation({
    mutationFn: async () => (await api<unknown>('POST', `/api/rag/collections/${encodeURIComponent(id)}/documents`, { name: docName.trim() || `document ${new Date().toISOString()}`, text })).data,
    onSuccess: () => {
      setText('');
      setDocName('');
      void qc.invalidateQueries({ queryKey: ['rag-collections'] });
      void qc.invalidateQueries({ queryKey: ['rag-collection', id] });
    },
  });
  const search = useQuery({
    queryKey: ['rag-search', id, submitted],
    queryFn: async () => (await api<unknown>('GET', `/api/rag/collections/${encodeURIComponent(id)}/search${queryString({ q: submitted })}`)).data,
    enabled: submitted !== '',
  });
  const d = search.data as { results?: unknown } | unknown[] | undefined;
  const results = Array.isArray(d) ? (d as Record<string, unknown>[]) : d && Array.isArray(d.results) ? (d.results as Record<string, unknown>[]) : null;
  return (
    <div className="rag-panel">
      <Section title="Search">
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            setSubmitted(q.trim());
          }}
        >
          <input type="search" className="grow" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Query…" data-testid="rag-query" />
          <button className="btn small primary" disabled={!q.trim()} data-testid="rag-search">
            Search
          </button>
        </form>
        {search.isFetching && <Loading />}
        {search.isError && <ErrorBox error={search.error} />}
        {results && results.length === 0 && <Empty>No matches.</Empty>}
        {results && results.length > 0 && (
          <ol className="rag-results" data-testid="rag-results">
            {results.map((r, i) => (
              <li key={i}>
                {typeof r.score === 'number' && <span className="muted small">score {r.score.toFixed(3)} · </span>}
                <span>{String(r.text ?? r.content ?? JSON.stringify(r)).slice(0, 400)}</span>
              </li>
            ))}
          </ol>
        )}
        {search.data !== undefined && !results && <JsonView value={search.data} />}
      </Section>
      <Section title={`Documents (${detail.data?.documents?.length ?? 0})`}>
        {detail.isLoading ? (
          <Loading />
        ) : detail.isError ? (
          <ErrorBox error={detail.error} onRetry={() => void detail.refetch()} />
        ) : (detail.data?.documents ?? []).length === 0 ? (
          <Empty>No documents yet.</Empty>
        ) : (
          <table className="table compact" data-testid="rag-documents">
            <tbody>
              {(detail.data?.documents ?? []).map((doc, i) => (
                <tr key={String(doc.id ?? i)}>
                  <td>{String(doc.name ?? doc.id ?? '')}</td>
                  <td className="muted">{String(doc.media_type ?? '')}</td>
                  <td className="muted">{doc.chunk_count !== undefined ? `${String(doc.chunk_count)} chunks` : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      <Section title="Add a document">
        <Field label="Name" hint="default: a timestamped name">
          <input type="text" value={docName} onChange={(e) => setDocName(e.target.value)} />
        </Field>
        <Field label="Text">
          <textarea rows={6} value={text} onChange={(e) => setText(e.target.value)} data-testid="rag-doc-text" />
        </Field>
        {add.isError && <ErrorBox error={add.error} />}
        {add.isSuccess && <div className="ok-text">Document added.</div>}
        <button className="btn small primary" disabled={!text.trim() || add.isPending} onClick={() => add.mutate()} data-testid="rag-add-doc">
          {add.isPending ? 'Ingesting…' : 'Add document'}
        </button>
      </Section>
    </div>
  );
}
