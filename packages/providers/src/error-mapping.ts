/**
 * Maps any error an SDK throws (OpenAI, Anthropic, Google GenAI, fetch) to an `LlmctlError` with a stable provider
 * code and retryability. Works on the errors' shape (`status`, `headers`, `error`), not their classes, so one
 * mapping serves every SDK. The SDKs' abort, timeout and connection errors are recognised by class name, so this
 * module does not load the SDKs.
 */
import { LlmctlError, type ErrorCode } from '@llmctl/contracts';

const CONTEXT_LENGTH_RE =
  /context[ _-]?(length|window)|maximum context|too many tokens|prompt is too long|input is too long|exceeds the maximum number of tokens|maximum number of tokens|max_model_len|context_length_exceeded/i;
const CONTENT_FILTER_RE = /content[ _-]?(filter|policy|management)|safety|responsible ?ai|prohibited content/i;
const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED',
]);

interface ErrorShape {
  name?: unknown;
  message?: unknown;
  status?: unknown;
  headers?: unknown;
  error?: unknown;
  type?: unknown;
  code?: unknown;
  cause?: unknown;
}

/** Reads one header from a `Headers` object or a plain record. */
function header(headers: unknown, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  if (typeof headers === 'object') {
    for (const [k, v] of Object.entries(headers as Record<string, unknown>)) {
      if (k.toLowerCase() === name && v !== undefined && v !== null) return String(v);
    }
  }
  return undefined;
}

/**
 * Milliseconds to wait before retrying, from `retry-after-ms`, `retry-after` (seconds or an HTTP date) or a Google
 * `RetryInfo.retryDelay` (`"30s"`) in the error body. Undefined when none is given.
 */
export function retryAfterMs(headers: unknown, body?: unknown, now: number = Date.now()): number | undefined {
  const ms = header(headers, 'retry-after-ms');
  if (ms !== undefined && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Math.round(Number(ms)));
  const ra = header(headers, 'retry-after');
  if (ra !== undefined && ra.trim() !== '') {
    const secs = Number(ra);
    if (Number.isFinite(secs)) return Math.max(0, Math.round(secs * 1000));
    const date = Date.parse(ra);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const text = typeof body === 'string' ? body : body === undefined ? '' : safeStringify(body);
  // Also matches inside a JSON-encoded message (\"retryDelay\": \"30s\").
  const m = /\\?"retryDelay\\?"\s*:\s*\\?"(\d+(?:\.\d+)?)s\\?"/.exec(text);
  if (m?.[1]) return Math.round(Number(m[1]) * 1000);
  return undefined;
}

function safeStringify(v: unknown): string {
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return String(v);
  }
}

function isNetworkError(err: ErrorShape): boolean {
  const cause = (err.cause ?? {}) as ErrorShape;
  if (typeof err.code === 'string' && NETWORK_CODES.has(err.code)) return true;
  if (typeof cause.code === 'string' && NETWORK_CODES.has(cause.code)) return true;
  const msg = typeof err.message === 'string' ? err.message : '';
  return err.name === 'TypeError' && /fetch failed|terminated|network|socket/i.test(msg);
}

/** The vendor's error type string (Anthropic `error.type`, OpenAI `error.type`/`code`, Google `error.status`). */
function vendorType(err: ErrorShape): string {
  const parts: string[] = [];
  if (typeof err.type === 'string') parts.push(err.type);
  const body = err.error as Record<string, unknown> | undefined;
  if (body && typeof body === 'object') {
    for (const k of ['type', 'code', 'status']) if (typeof body[k] === 'string') parts.push(body[k] as string);
    const inner = body.error as Record<string, unknown> | undefined;
    if (inner && typeof inner === 'object') {
      for (const k of ['type', 'code', 'status']) if (typeof inner[k] === 'string') parts.push(inner[k] as string);
    }
  }
  return parts.join(' ').toLowerCase();
}

function codeForStatus(status: number, text: string): ErrorCode {
  if (status === 429) return 'provider_rate_limited';
  if (status === 408) return 'provider_timeout';
  if (status === 401 || status === 403) return 'provider_auth';
  if (status === 413) return 'provider_context_length';
  if (status >= 500) return 'provider_unavailable';
  if (status === 400 || status === 404 || status === 409 || status === 422) {
    if (CONTEXT_LENGTH_RE.test(text)) return 'provider_context_length';
    if (CONTENT_FILTER_RE.test(text)) return 'provider_content_filter';
    return 'provider_bad_request';
  }
  return 'provider_error';
}

const CREDENTIALS_RE = /could not load the default credentials|invalid_grant|unauthorized_client|could not resolve authentication/i;

/** For errors without an HTTP status (errors inside a stream, credential lookups): the vendor's error type decides. */
function codeForType(type: string, text: string): ErrorCode {
  if (CREDENTIALS_RE.test(text)) return 'provider_auth';
  if (/rate_limit|resource_exhausted|too_many_requests/.test(type)) return 'provider_rate_limited';
  if (/overloaded|server_error|api_error|unavailable|internal|timeout/.test(type)) return 'provider_unavailable';
  if (/authentication|permission|unauthenticated|permission_denied|invalid_api_key/.test(type)) return 'provider_auth';
  if (CONTEXT_LENGTH_RE.test(text)) return 'provider_context_length';
  if (CONTENT_FILTER_RE.test(text)) return 'provider_content_filter';
  if (/invalid_request|invalid_argument|bad_request/.test(type)) return 'provider_bad_request';
  return 'provider_error';
}

/** Maps any thrown value to an `LlmctlError` (an `LlmctlError` passes through unchanged). */
export function mapProviderError(err: unknown): LlmctlError {
  if (err instanceof LlmctlError) return err;
  const e = (err && typeof err === 'object' ? err : { message: String(err) }) as ErrorShape;
  // The OpenAI SDK leaves `name` as 'Error': fall back to the class name.
  const name = typeof e.name === 'string' && e.name !== 'Error' ? e.name : ((err as object | null)?.constructor?.name ?? 'Error');
  const message = typeof e.message === 'string' && e.message ? e.message : String(err);
  const status = typeof e.status === 'number' ? e.status : undefined;
  const type = vendorType(e);
  const text = `${message} ${type} ${e.error === undefined ? '' : safeStringify(e.error)}`;
  const details: Record<string, unknown> = { provider_error: name };
  if (status !== undefined) details.status = status;
  if (type) details.provider_type = type;

  if (name === 'APIUserAbortError' || name === 'AbortError') {
    return new LlmctlError('interrupted', `The model call was aborted: ${message}`, details);
  }
  if (name === 'APIConnectionTimeoutError' || name === 'TimeoutError') {
    return new LlmctlError('provider_timeout', `The provider did not answer in time: ${message}`, details);
  }
  if (name === 'APIConnectionError' || isNetworkError(e)) {
    const cause = e.cause as ErrorShape | undefined;
    if (cause && typeof cause.message === 'string') details.cause = cause.message;
    return new LlmctlError('provider_unavailable', `The provider could not be reached: ${message}`, details);
  }
  const code = status !== undefined ? codeForStatus(status, text) : codeForType(type, text);
  if (code === 'provider_rate_limited') {
    const after = retryAfterMs(e.headers, e.error ?? message);
    if (after !== undefined) details.retry_after_ms = after;
  }
  return new LlmctlError(code, `Provider error${status !== undefined ? ` (HTTP ${status})` : ''}: ${message}`, details);
}
