/** Parsing the API's success and error envelopes (api.md "Conventions") into values or {@link ApiError}s. */

/** Paging info of list responses (`page`), or the cursor page of the event log. */
export interface PageInfo {
  page?: number;
  per_page?: number;
  total?: number;
  after_sequence?: number;
  limit?: number;
  next_after_sequence?: number | null;
}

/** A successful response: its data and optional page. */
export interface ApiSuccess<T> {
  data: T;
  page?: PageInfo;
  requestId: string | null;
}

/** An API error as the studio shows it: message, code, request id, HTTP status and details. */
export class ApiError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly status: number,
    public readonly requestId: string | null,
    public readonly details: Record<string, unknown> = {},
    public readonly retryable = false,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Interprets a response. A body `{ ok: true, data }` yields its data; `{ ok: false, error }` and every other
 * failure (non-JSON body, unexpected shape, HTTP error without envelope) throws an ApiError carrying whatever code,
 * message and request id are available (falling back to the `X-Request-ID` header).
 */
export function parseEnvelope<T>(status: number, bodyText: string, headerRequestId: string | null): ApiSuccess<T> {
  let body: unknown;
  try {
    body = bodyText === '' ? undefined : JSON.parse(bodyText);
  } catch {
    throw new ApiError(`http_${status}`, `The server answered ${status} with a non-JSON body: ${bodyText.slice(0, 200)}`, status, headerRequestId);
  }
  if (isRecord(body) && body.ok === true) {
    const requestId = typeof body.request_id === 'string' ? body.request_id : headerRequestId;
    const out: ApiSuccess<T> = { data: body.data as T, requestId };
    if (isRecord(body.page)) out.page = body.page as PageInfo;
    return out;
  }
  if (isRecord(body) && body.ok === false && isRecord(body.error)) {
    const e = body.error;
    throw new ApiError(
      typeof e.code === 'string' ? e.code : `http_${status}`,
      typeof e.message === 'string' ? e.message : `HTTP ${status}`,
      status,
      typeof e.request_id === 'string' ? e.request_id : headerRequestId,
      isRecord(e.details) ? e.details : {},
      e.retryable === true,
    );
  }
  throw new ApiError(`http_${status}`, `Unexpected response (HTTP ${status}) without the API envelope`, status, headerRequestId);
}

/** Normalises anything thrown into an ApiError (network failures become `network_error`). */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ApiError('network_error', `Could not reach the server: ${message}`, 0, null);
}

/** Builds a query string from defined, non-empty parameters (leading `?` included when non-empty). */
export function queryString(params: Record<string, string | number | boolean | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
