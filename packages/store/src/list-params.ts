import { LlmctlError } from '@llmctl/contracts';

/** Normalised list parameters (api.md: `q`, `sort`, `order`, `page`, `per_page`). */
export interface ListParams<S extends string = string> {
  q?: string;
  sort: S;
  order: 'asc' | 'desc';
  page: number;
  per_page: number;
}

/** Paging block of list responses. */
export interface PageInfo {
  page: number;
  per_page: number;
  total: number;
}

/** A page of items. */
export interface ListResult<T> {
  items: T[];
  page: PageInfo;
}

/** What a list accepts. */
export interface ListSpec<S extends string> {
  sorts: readonly S[];
  defaultSort: S;
  /** Order when none is given (per sort field: `name` reads best ascending, timestamps newest first). */
  defaultOrder: 'asc' | 'desc' | Partial<Record<S, 'asc' | 'desc'>> & { '*': 'asc' | 'desc' };
}

export const DEFAULT_PER_PAGE = 20;
export const MAX_PER_PAGE = 100;

interface ParamIssue {
  path: string;
  message: string;
}

function single(raw: Record<string, unknown>, key: string, issues: ParamIssue[]): string | undefined {
  const v = raw[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') {
    issues.push({ path: key, message: `${key} must be given once, as a string` });
    return undefined;
  }
  return v;
}

function positiveInt(raw: Record<string, unknown>, key: string, dflt: number, max: number, issues: ParamIssue[]): number {
  const v = single(raw, key, issues);
  if (v === undefined || v === '') return dflt;
  if (!/^\d{1,9}$/.test(v) || Number(v) < 1 || Number(v) > max) {
    issues.push({ path: key, message: `${key} must be an integer from 1 to ${max}` });
    return dflt;
  }
  return Number(v);
}

/**
 * Validates raw query parameters of a list (strings as they come from the URL, or already typed values) into
 * {@link ListParams}; any problem is `validation_failed` with `details.errors[]` of `{ path, message }`.
 */
export function parseListParams<S extends string>(raw: Record<string, unknown>, spec: ListSpec<S>): ListParams<S> {
  const issues: ParamIssue[] = [];
  const q = single(raw, 'q', issues)?.trim();
  if (q !== undefined && q.length > 200) issues.push({ path: 'q', message: 'q must be at most 200 characters' });
  // PostgreSQL text cannot hold U+0000: refuse it here rather than let the query fail with a 500.
  if (q?.includes('\u0000')) issues.push({ path: 'q', message: 'q must not contain the NUL character (U+0000)' });
  const sortRaw = single(raw, 'sort', issues);
  let sort = spec.defaultSort;
  if (sortRaw !== undefined && sortRaw !== '') {
    if ((spec.sorts as readonly string[]).includes(sortRaw)) sort = sortRaw as S;
    else issues.push({ path: 'sort', message: `unknown sort field "${sortRaw}"; use one of: ${spec.sorts.join(', ')}` });
  }
  const orderRaw = single(raw, 'order', issues)?.toLowerCase();
  let order: 'asc' | 'desc' = typeof spec.defaultOrder === 'string'
    ? spec.defaultOrder
    : ((spec.defaultOrder as Record<string, 'asc' | 'desc'>)[sort] ?? spec.defaultOrder['*']);
  if (orderRaw !== undefined && orderRaw !== '') {
    if (orderRaw === 'asc' || orderRaw === 'desc') order = orderRaw;
    else issues.push({ path: 'order', message: 'order must be asc or desc' });
  }
  const page = positiveInt(raw, 'page', 1, 1_000_000, issues);
  const per_page = positiveInt(raw, 'per_page', DEFAULT_PER_PAGE, MAX_PER_PAGE, issues);
  if (issues.length > 0) {
    throw new LlmctlError('validation_failed', issues.map((i) => i.message).join('; '), { errors: issues });
  }
  return { ...(q ? { q } : {}), sort, order, page, per_page };
}

/**
 * A LIKE pattern matching `q` as a literal, case-insensitive substring (compare it with `lower(column)`): `%`, `_` and
 * the escape character `\` in `q` match only themselves.
 */
export function likeSubstring(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;
}

/** OFFSET of a page. */
export function offsetOf(p: { page: number; per_page: number }): number {
  return (p.page - 1) * p.per_page;
}
