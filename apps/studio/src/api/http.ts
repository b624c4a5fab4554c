/** The one HTTP client of the studio: JSON over `/api`, envelopes parsed into data or ApiError. */
import { parseEnvelope, toApiError, type ApiSuccess } from '../core/api-envelope.ts';

const TOKEN_KEY = 'llmctl.token';

/** The bearer token the user stored in Settings (for servers with auth on), or null. */
export function getAuthToken(): string | null {
  try {
    return globalThis.localStorage?.getItem(TOKEN_KEY) || null;
  } catch {
    return null;
  }
}

/** Stores (or clears, with an empty string) the bearer token. */
export function setAuthToken(token: string): void {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

/** Options of {@link api}. */
export interface ApiOptions {
  signal?: AbortSignal;
  idempotencyKey?: string;
}

/** Calls the API and returns the parsed success envelope; throws ApiError on every failure. */
export async function api<T>(method: string, path: string, body?: unknown, opts: ApiOptions = {}): Promise<ApiSuccess<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const token = getAuthToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
  let res: Response;
  try {
    const init: RequestInit = { method, headers };
    if (body !== undefined) init.body = JSON.stringify(body);
    if (opts.signal) init.signal = opts.signal;
    res = await fetch(path, init);
  } catch (e) {
    throw toApiError(e);
  }
  const text = await res.text();
  return parseEnvelope<T>(res.status, text, res.headers.get('x-request-id'));
}

/** GET returning only `data`. */
export async function apiGet<T>(path: string, signal?: AbortSignal): Promise<T> {
  return (await api<T>('GET', path, undefined, signal ? { signal } : {})).data;
}

/** A random idempotency key for one user action. */
export function newIdempotencyKey(): string {
  return globalThis.crypto?.randomUUID?.() ?? `k-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}
