/** `/memory`, `/plans`, `/milestones`: special-node state, filterable by flowchart and run, with a detail panel. */
import { Link, useSearchParams } from 'react-router';
import { useStateList } from '../../api/queries.ts';
import type { StateRecord } from '../../api/types.ts';
import { formatTime, shortId } from '../../core/format.ts';
import { Empty, ErrorBox, JsonView, Loading, Pager, StatusBadge } from '../../ui/common.tsx';
import { DebouncedInput } from '../../ui/debounced-input.tsx';
import { PageHeader } from '../../ui/shell.tsx';
import { useSearchState } from '../../ui/use-search-state.ts';

/** Which list. */
export type StateKind = 'memories' | 'plans' | 'milestones';

const KINDS: { kind: StateKind; path: string; label: string; columns: string[] }[] = [
  { kind: 'memories', path: '/memory', label: 'Memory', columns: ['scope', 'text', 'content'] },
  { kind: 'plans', path: '/plans', label: 'Plans', columns: ['plan_key', 'title', 'status', 'items'] },
  { kind: 'milestones', path: '/milestones', label: 'Milestones', columns: ['milestone_key', 'title', 'status'] },
];

function cell(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return `${v.length} item${v.length === 1 ? '' : 's'}`;
  if (typeof v === 'object') return JSON.stringify(v).slice(0, 80);
  const s = String(v);
  return s.length > 120 ? `${s.slice(0, 119)}…` : s;
}

/** The state list page for one kind. */
export function StateListPage({ kind }: { kind: StateKind }) {
  const meta = KINDS.find((k) => k.kind === kind)!;
  const [s, set] = useSearchState({ flowchart_id: '', run_id: '', q: '', page: '1', per_page: '20' });
  const [sp, setSp] = useSearchParams();
  const list = useStateList(kind, { flowchart_id: s.flowchart_id, run_id: s.run_id, q: s.q, page: Number(s.page), per_page: Number(s.per_page) });
  const items = list.data?.items ?? [];
  const selectedId = sp.get('id');
  const selected = items.find((x, i) => String(x.id ?? i) === selectedId);
  const columns = meta.columns.filter((c) => items.some((x) => x[c] !== undefined));
  const select = (r: StateRecord, i: number): void =>
    setSp((prev) => {
      const n = new URLSearchParams(prev);
      n.set('id', String(r.id ?? i));
      return n;
    });
  return (
    <div className="page split">
      <div className="page-main">
        <PageHeader title={meta.label}>
          <div className="tabs">
            {KINDS.map((k) => (
              <Link key={k.kind} to={k.path} className={k.kind === kind ? 'tab active' : 'tab'} data-testid={`state-tab-${k.kind}`}>
                {k.label}
              </Link>
            ))}
          </div>
        </PageHeader>
        <div className="filters">
          <DebouncedInput value={s.q} onChange={(q) => set({ q })} placeholder="Search…" />
          <DebouncedInput value={s.flowchart_id} onChange={(v) => set({ flowchart_id: v })} placeholder="Flowchart id" />
          <DebouncedInput value={s.run_id} onChange={(v) => set({ run_id: v })} placeholder="Run id" />
        </div>
        <div className="page-body">
          {list.isLoading ? (
            <Loading />
          ) : list.isError ? (
            <ErrorBox error={list.error} onRetry={() => void list.refetch()} />
          ) : items.length === 0 ? (
            <Empty>No {meta.label.toLowerCase()} records{s.flowchart_id || s.run_id || s.q ? ' match these filters' : ' yet — they are written by memory, plan and milestone nodes'}.</Empty>
          ) : (
            <table className="table" data-testid={`${kind}-table`}>
              <thead>
                <tr>
                  <th>Id</th>
                  {columns.map((c) => (
                    <th key={c}>{c}</th>
                  ))}
                  <th>Run</th>
                  <th>Updated</th>
                </tr>
              </thead>
              <tbody>
                {items.map((r, i) => (
                  <tr key={String(r.id ?? i)} className={`clickable${selected === r ? ' selected' : ''}`} onClick={() => select(r, i)} data-testid={`${kind}-row-${String(r.id ?? i)}`}>
                    <td title={String(r.id ?? '')}>{shortId(String(r.id ?? i), 10)}</td>
                    {columns.map((c) => (
                      <td key={c}>{c === 'status' && typeof r[c] === 'string' ? <StatusBadge status={r[c] as string} /> : cell(r[c])}</td>
                    ))}
                    <td>{typeof r.run_id === 'string' ? <Link to={`/runs/${encodeURIComponent(r.run_id)}`} onClick={(e) => e.stopPropagation()}>{shortId(r.run_id, 10)}</Link> : ''}</td>
                    <td className="muted">{formatTime((r.updated_at ?? r.created_at) as string | undefined)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <Pager page={list.data?.page} onPage={(p) => set({ page: String(p) })} onPerPage={(n) => set({ per_page: String(n) })} />
      </div>
      <aside className="inspector" data-testid="state-inspector">
        <div className="panel-title">Details</div>
        <div className="panel-scroll">{selected ? <JsonView value={selected} /> : <div className="muted small">Select a row.</div>}</div>
      </aside>
    </div>
  );
}
