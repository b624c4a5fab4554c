import type { ErrorInfo } from '@llmctl/contracts';
import { FencedError } from './ports.ts';

/** Where and why a value cannot be stored. */
export interface Unstorable {
  /** JSON-pointer-like path of the offending string (`/output/answer`, `/warnings/0/message`). */
  path: string;
  reason: 'nul_character' | 'lone_surrogate';
}

const MAX_VISIT = 200_000;

function badString(s: string): Unstorable['reason'] | null {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return 'nul_character';
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i += 1;
      else return 'lone_surrogate';
    } else if (c >= 0xdc00 && c <= 0xdfff) return 'lone_surrogate';
  }
  return null;
}

/**
 * The first string (value or object key) in `value` PostgreSQL cannot store in `text` / `jsonb`: a NUL character
 * (U+0000, SQLSTATE 22P05 / 22021) or a lone UTF-16 surrogate (jsonb rejects `\udXXX` without its pair). Null when
 * the whole value is storable.
 */
export function findUnstorable(value: unknown, path = ''): Unstorable | null {
  // Most values are storable: a first walk builds no paths; only a value with a finding is walked again for its path
  // (the same order and visit budget, so the same first finding).
  const budget = { visited: 0 };
  return anyUnstorable(value, budget) ? locateUnstorable(value, path) : null;
}

/** True when `v` holds an unstorable string (value or key) within the visit budget ({@link findUnstorable}'s order). */
function anyUnstorable(v: unknown, budget: { visited: number }): boolean {
  if (++budget.visited > MAX_VISIT) return false;
  if (typeof v === 'string') return badString(v) !== null;
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (anyUnstorable(v[i], budget)) return true;
    return false;
  }
  for (const k of Object.keys(v)) {
    if (badString(k) !== null) return true;
    if (anyUnstorable((v as Record<string, unknown>)[k], budget)) return true;
  }
  return false;
}

function locateUnstorable(value: unknown, path: string): Unstorable | null {
  let visited = 0;
  const walk = (v: unknown, p: string): Unstorable | null => {
    if (++visited > MAX_VISIT) return null;
    if (typeof v === 'string') {
      const reason = badString(v);
      return reason ? { path: p || '/', reason } : null;
    }
    if (v === null || typeof v !== 'object') return null;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const r = walk(v[i], `${p}/${i}`);
        if (r) return r;
      }
      return null;
    }
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const kr = badString(k);
      if (kr) return { path: `${p}/${JSON.stringify(k).slice(1, -1)}`, reason: kr };
      const r = walk(x, `${p}/${k}`);
      if (r) return r;
    }
    return null;
  };
  return walk(value, path);
}

/** The coded, non-retryable `output_unstorable` error for a finding of {@link findUnstorable}. */
export function unstorableError(u: Unstorable, what = 'the node result'): ErrorInfo {
  const why = u.reason === 'nul_character' ? 'a NUL character (U+0000)' : 'a lone UTF-16 surrogate';
  return {
    code: 'output_unstorable',
    message: `${what} cannot be stored: ${why} at ${u.path}`,
    details: { path: u.path, reason: u.reason },
    retryable: false,
  };
}

/** How a store failure is handled. */
export type StoreFailureKind = 'fenced' | 'transient' | 'unstorable' | 'permanent';

const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);
const TRANSIENT_MESSAGES = /connection terminated|timeout exceeded when trying to connect|not queryable|connection (?:error|refused|reset)|server closed the connection|terminating connection|the database system is (?:starting up|shutting down|in recovery mode)|Connection closed|pool is ending|Cannot use a pool after calling end/i;

/** A SQLSTATE (5 characters, digits and upper-case letters) on a driver error. */
export function sqlStateOf(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && /\d/.test(code.slice(0, 2)) ? code : null;
}

/**
 * Classifies an error thrown by a store (PostgreSQL driver errors are recognised by SQLSTATE and Node socket codes):
 * `fenced` (another writer), `transient` (the database is unreachable or restarting: retry later), `unstorable` (a
 * value cannot be stored: retrying never helps), `permanent` (anything else).
 */
export function classifyStoreError(err: unknown): StoreFailureKind {
  if (err instanceof FencedError) return 'fenced';
  const state = sqlStateOf(err);
  const message = err instanceof Error ? err.message : String(err);
  if (state) {
    if (state === '22P05' || state === '22021') return 'unstorable';
    // jsonb refuses an unpaired surrogate escape (`\ud800`) as invalid JSON input; detail names the surrogate.
    const detail = String((err as { detail?: unknown }).detail ?? '');
    if (state === '22P02' && /unicode|surrogate|type json/i.test(`${message} ${detail}`)) return 'unstorable';
    if (state.startsWith('08') || state.startsWith('57P') || state === '53300' || state === '40001' || state === '40P01' || (state === '55000' && /recovery/i.test(message))) return 'transient';
    return 'permanent';
  }
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && TRANSIENT_NODE_CODES.has(code)) return 'transient';
  if (TRANSIENT_MESSAGES.test(message)) return 'transient';
  return 'permanent';
}
