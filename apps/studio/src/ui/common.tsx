/** Shared presentational components: errors, loading/empty states, pager, badges, tabs, JSON views. */
import { useState, type ReactNode } from 'react';
import { ApiError, toApiError } from '../core/api-envelope.ts';
import { pageCount } from '../core/format.ts';
import { prettyJson } from '../core/json-text.ts';
import type { PageInfo } from '../core/api-envelope.ts';

/** Shows an API error with its message, code, request id, HTTP status and details. */
export function ErrorBox({ error, onRetry, onDismiss, compact }: { error: unknown; onRetry?: () => void; onDismiss?: () => void; compact?: boolean }) {
  const [open, setOpen] = useState(false);
  if (!error) return null;
  const e = error instanceof ApiError ? error : toApiError(error);
  const hasDetails = Object.keys(e.details ?? {}).length > 0;
  return (
    <div className={`error-box${compact ? ' compact' : ''}`} role="alert" data-testid="api-error" data-code={e.code}>
      <div className="error-main">
        <span className="error-message" data-testid="api-error-message">{e.message}</span>
        {onRetry && (
          <button className="btn small" onClick={onRetry}>
            Retry
          </button>
        )}
        {onDismiss && (
          <button className="btn small" onClick={onDismiss} data-testid="api-error-dismiss">
            Dismiss
          </button>
        )}
      </div>
      <div className="error-meta">
        <span>
          code <code data-testid="api-error-code">{e.code}</code>
        </span>
        {e.status > 0 && <span>HTTP {e.status}</span>}
        <span>
          request id <code data-testid="api-error-request-id">{e.requestId ?? '—'}</code>
        </span>
        {hasDetails && (
          <button className="link" onClick={() => setOpen(!open)}>
            {open ? 'hide details' : 'details'}
          </button>
        )}
      </div>
      {open && hasDetails && <pre className="json small">{prettyJson(e.details)}</pre>}
    </div>
  );
}

/** A loading placeholder. */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state-msg loading" data-testid="loading">
      <span className="spinner" /> {label}
    </div>
  );
}

/** An empty-state message. */
export function Empty({ children }: { children: ReactNode }) {
  return (
    <div className="state-msg empty" data-testid="empty">
      {children}
    </div>
  );
}

/** Previous/next pager with rows-per-page and total. */
export function Pager({ page, onPage, onPerPage }: { page: PageInfo | undefined; onPage: (p: number) => void; onPerPage?: (n: number) => void }) {
  const current = page?.page ?? 1;
  const per = page?.per_page ?? 20;
  const pages = pageCount(page?.total, per);
  return (
    <div className="pager" data-testid="pager">
      <button className="btn small" disabled={current <= 1} onClick={() => onPage(current - 1)} data-testid="pager-prev">
        Prev
      </button>
      <span className="pager-pos">
        {current} / {pages}
      </span>
      <button className="btn small" disabled={current >= pages} onClick={() => onPage(current + 1)} data-testid="pager-next">
        Next
      </button>
      {onPerPage && (
        <label className="inline">
          rows
          <select value={per} onChange={(e) => onPerPage(Number(e.target.value))}>
            {[10, 20, 50, 100].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      )}
      <span className="pager-total" data-testid="pager-total">
        total {page?.total ?? 0}
      </span>
    </div>
  );
}

/** A status pill coloured by status. */
export function StatusBadge({ status, testid }: { status: string; testid?: string }) {
  return (
    <span className={`badge st-${status}`} data-testid={testid} data-status={status}>
      {status.replace(/_/g, ' ')}
    </span>
  );
}

/** Tab strip. */
export function Tabs<T extends string>({ tabs, active, onChange, testid }: { tabs: { id: T; label: ReactNode }[]; active: T; onChange: (t: T) => void; testid?: string }) {
  return (
    <div className="tabs" role="tablist" data-testid={testid}>
      {tabs.map((t) => (
        <button key={t.id} role="tab" aria-selected={t.id === active} className={t.id === active ? 'tab active' : 'tab'} onClick={() => onChange(t.id)} data-testid={`tab-${t.id}`}>
          {t.label}
        </button>
      ))}
    </div>
  );
}

/** Read-only pretty JSON. */
export function JsonView({ value, testid, empty = '—' }: { value: unknown; testid?: string; empty?: string }) {
  if (value === undefined) return <span className="muted">{empty}</span>;
  return (
    <pre className="json" data-testid={testid}>
      {prettyJson(value)}
    </pre>
  );
}

/** A labelled form field with optional hint and error. */
export function Field({ label, hint, error, children, wide }: { label: ReactNode; hint?: ReactNode; error?: string | null; children: ReactNode; wide?: boolean }) {
  return (
    <label className={`field${wide ? ' wide' : ''}${error ? ' has-error' : ''}`}>
      <span className="field-label">{label}</span>
      {children}
      {error ? <span className="field-error">{error}</span> : hint ? <span className="field-hint">{hint}</span> : null}
    </label>
  );
}

/** A titled section in panels. */
export function Section({ title, children, actions }: { title: ReactNode; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="section">
      <div className="section-head">
        <span>{title}</span>
        {actions}
      </div>
      {children}
    </section>
  );
}
