/**
 * The one secret redactor: provider errors (message and details) pass through it before they leave this package, so
 * a provider that echoes the API key or a header value in its error text cannot put the key into runs, events, traces,
 * tables or logs.
 */
import { LlmctlError } from '@llmctl/contracts';
import type { ProviderConfig } from './types.ts';

/** What replaces a secret. */
export const REDACTED = '[redacted]';

/** Settings fields whose values are credentials (their names say so). */
export const CREDENTIAL_FIELD_RE = /key|token|secret|password|passwd|authorization|cookie|credential/i;

/**
 * Secret-looking text redacted even when the secret is not known: OpenAI / Anthropic style `sk-…` keys, Google
 * `AIza…` keys, bearer / basic credentials, `key=`-style query or form parameters.
 */
const PATTERNS: readonly RegExp[] = [
  /sk-[A-Za-z0-9_-]{16,}/g,
  /AIza[0-9A-Za-z_-]{30,}/g,
  /\b(Bearer|Basic|Token)\s+[^\s"',;]+/gi,
  /\b((?:api[_-]?key|access[_-]?token|token|key|secret|password)["']?\s*[=:]\s*["']?)[^\s"'&,;]{8,}/gi,
];

/** Secrets shorter than this are not searched for (too likely to hit ordinary text); patterns still apply. */
const MIN_SECRET_LENGTH = 6;

/**
 * Cheap test run before the patterns: a string none of these substrings occurs in (case-insensitively) cannot match
 * any of {@link PATTERNS} (each needs `sk-`, `AIza`, `bearer`, `basic`, `token`, `key`, `secret` or `password`).
 */
const PATTERN_HINT = /sk-|aiza|bearer|basic|token|key|secret|password/i;

/** A known secret with the other forms it is removed in: its bare token and its JSON-escaped form. */
interface KnownSecret {
  value: string;
  bare: string | undefined;
  escaped: string | undefined;
}

/** Known secrets as `redactText` uses them: long enough, unique, longest first, their other forms worked out once. */
function prepareSecrets(knownSecrets: readonly string[]): KnownSecret[] {
  if (knownSecrets.length === 0) return [];
  const known = [...new Set(knownSecrets.filter((s) => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
  return known.map((value) => {
    const escaped = JSON.stringify(value).slice(1, -1);
    // The secret's bare token when it is a scheme-prefixed header value ("Bearer <token>").
    return { value, bare: /^\S+\s+(\S{6,})$/.exec(value)?.[1], escaped: escaped !== value ? escaped : undefined };
  });
}

function redactPrepared(text: string, known: readonly KnownSecret[]): string {
  let out = text;
  for (const s of known) {
    if (out.includes(s.value)) out = out.split(s.value).join(REDACTED);
    if (s.bare !== undefined && out.includes(s.bare)) out = out.split(s.bare).join(REDACTED);
    // JSON-escaped forms (a secret with quotes or backslashes inside an encoded body).
    if (s.escaped !== undefined && out.includes(s.escaped)) out = out.split(s.escaped).join(REDACTED);
  }
  if (!PATTERN_HINT.test(out)) return out;
  for (const re of PATTERNS) {
    out = out.replace(re, (m: string, prefix?: string) => (typeof prefix === 'string' && /[=:]\s*["']?$/.test(prefix) ? `${prefix}${REDACTED}` : /^(Bearer|Basic|Token)$/i.test(prefix ?? '') ? `${prefix} ${REDACTED}` : REDACTED));
  }
  return out;
}

/** Replaces every known secret (and every secret-looking pattern) in one string. */
export function redactText(text: string, knownSecrets: readonly string[] = []): string {
  return redactPrepared(text, prepareSecrets(knownSecrets));
}

function redactValue(value: unknown, known: readonly KnownSecret[], depth: number): unknown {
  if (typeof value === 'string') return redactPrepared(value, known);
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, known, depth + 1));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    const v = redactValue((value as Record<string, unknown>)[k], known, depth + 1);
    // A plain assignment creates the same own data property, except for `__proto__` (an accessor on Object.prototype).
    if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
  }
  return out;
}

/**
 * Returns `value` with every known secret and secret-looking pattern replaced by `[redacted]`, in strings at any depth
 * (objects and arrays are copied; object keys are kept).
 */
export function redactSecrets<T>(value: T, knownSecrets: readonly string[] = [], depth = 0): T {
  return redactValue(value, prepareSecrets(knownSecrets), depth) as T;
}

/**
 * {@link redactSecrets} with `knownSecrets` fixed: the secrets are sorted and their other forms worked out once, for a
 * caller that redacts many values with the same secrets (a copy of the list is kept).
 */
export function secretRedactor(knownSecrets: readonly string[]): <T>(value: T) => T {
  const known = prepareSecrets(knownSecrets);
  return <T>(value: T): T => redactValue(value, known, 0) as T;
}

/** An `LlmctlError` (any thrown value is first made one by the caller) with message and details redacted. */
export function redactError(err: unknown, knownSecrets: readonly string[]): unknown {
  if (err instanceof LlmctlError) {
    const message = redactText(err.message, knownSecrets);
    const details = redactSecrets(err.details, knownSecrets);
    // Nothing to remove: the same error object (callers may compare identity, e.g. an abort reason).
    if (message === err.message && JSON.stringify(details) === JSON.stringify(err.details)) return err;
    const redacted = new LlmctlError(err.code, message, details, err.retryable);
    if (err.stack) redacted.stack = redactText(err.stack, knownSecrets);
    return redacted;
  }
  if (err instanceof Error) {
    if (redactText(err.message, knownSecrets) === err.message) return err;
    const e = new Error(redactText(err.message, knownSecrets));
    e.name = err.name;
    return e;
  }
  return redactSecrets(err, knownSecrets);
}

/** Every credential-named value in a settings object, at any depth; every value of `headers`. */
export function credentialValues(settings: unknown, inHeaders = false, depth = 0): string[] {
  if (depth > 16 || settings === null || typeof settings !== 'object') return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(settings as Record<string, unknown>)) {
    const secretField = inHeaders || CREDENTIAL_FIELD_RE.test(k);
    if (typeof v === 'string' && secretField) out.push(v);
    else if (v !== null && typeof v === 'object') out.push(...credentialValues(v, inHeaders || k === 'headers' || secretField, depth + 1));
  }
  return out;
}

/** The secrets of one provider configuration: its API key, header values and credential-named settings. */
export function configSecrets(config: Pick<ProviderConfig, 'api_key' | 'settings'>): string[] {
  return [...(config.api_key ? [config.api_key] : []), ...credentialValues(config.settings ?? {})];
}
