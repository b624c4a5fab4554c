/** Small display formatters. */

/** Human duration between two ISO times (or until now when `end` is null). */
export function formatDuration(start: string | null | undefined, end: string | null | undefined, now = Date.now()): string {
  if (!start) return '';
  const a = Date.parse(start);
  const b = end ? Date.parse(end) : now;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return '';
  const ms = Math.max(0, b - a);
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  if (m < 60) return `${m}m ${s}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

// One formatter for every call: `toLocaleString` builds a new Intl formatter each time, which dominated re-renders
// of long timelines and event lists (apps/studio/bench/report.md).
let timeFormat: Intl.DateTimeFormat | undefined;

/** Short local date-time for an ISO string. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  timeFormat ??= new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return timeFormat.format(d);
}

/** Shortens an opaque id for dense tables. */
export function shortId(id: string | null | undefined, n = 8): string {
  if (!id) return '';
  return id.length > n + 1 ? `${id.slice(0, n)}…` : id;
}

/** Total page count for a page object. */
export function pageCount(total: number | undefined, perPage: number | undefined): number {
  if (!total || !perPage) return 1;
  return Math.max(1, Math.ceil(total / perPage));
}
